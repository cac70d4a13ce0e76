import { EVENT_CATALOG, type CatalogEvent } from '../../src-shared/event-catalog';
import type { FaultEvent } from './fault-event';

export interface CatalogMatch {
  /** the source's name as the catalogue spells it */
  source: string;
  event: CatalogEvent;
}

/**
 * The event-log "source" as Event Viewer shows it: manifest providers are named
 * `Microsoft-Windows-WHEA-Logger` but shown (and catalogued) as `WHEA-Logger`.
 */
export function displaySourceName(provider: string): string {
  return provider.replace(/^Microsoft-Windows-/i, '');
}

/**
 * Finds the catalogue entry for an event, or undefined when the service does not report it.
 * The source is compared without case and without the `Microsoft-Windows-` prefix. The id must
 * match in full; an id without qualifiers (upper 16 bits zero, as manifest providers log it:
 * WHEA-Logger 18) matches the catalogue's entry with the same low 16 bits.
 */
export function matchCatalog(e: Pick<FaultEvent, 'log' | 'source' | 'eventId'>): CatalogMatch | undefined {
  const wantedSource = displaySourceName(e.source).toLowerCase();
  const source = EVENT_CATALOG.find((l) => l.log === e.log)?.sources.find((s) => s.name.toLowerCase() === wantedSource);
  if (!source) return undefined;
  const id = e.eventId.toLowerCase();
  let event = source.events.find((c) => c.id === id);
  const value = parseInt(id.slice(2), 16);
  if (!event && /^0x[0-9a-f]{8}$/.test(id) && value >>> 16 === 0) event = source.events.find((c) => c.shortId === value);
  return event ? { source: source.name, event } : undefined;
}

/** Whether the service reports this event (its source and id are in the event catalogue). */
export function isReportable(e: Pick<FaultEvent, 'log' | 'source' | 'eventId'>): boolean {
  return matchCatalog(e) !== undefined;
}

/**
 * The event as the service files it: source and id spelt as in the catalogue, or null when it
 * is not one the service reports.
 */
export function toCatalogEvent(e: FaultEvent): FaultEvent | null {
  const m = matchCatalog(e);
  return m ? { ...e, source: m.source, eventId: m.event.id } : null;
}
