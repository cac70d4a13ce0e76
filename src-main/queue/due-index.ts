/**
 * The pending reports ordered by their next attempt (then by acceptance): a binary min-heap
 * with lazy removal — a report that changed is pushed again, and its old place is skipped when
 * it comes to the top. So the one timer always knows the earliest due report in O(log n). The
 * queue keeps one per lane (state.ts).
 */
interface Slot {
  at: number;
  seq: number;
  id: string;
  version: number;
}

export class DueIndex {
  private readonly heap: Slot[] = [];

  /** `version` must change whenever the report's due time or pending state changes. */
  push(id: string, at: number, seq: number, version: number): void {
    const heap = this.heap;
    heap.push({ at, seq, id, version });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /**
   * The earliest slot still current by `isCurrent(id, version)`; stale slots on the way are
   * dropped. Returns null when nothing is pending.
   */
  peek(isCurrent: (id: string, version: number) => boolean): { id: string; at: number; seq: number } | null {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (isCurrent(top.id, top.version)) return top;
      this.pop();
    }
    return null;
  }

  pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && before(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && before(heap[r]!, heap[min]!)) min = r;
      if (min === i) break;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
  }

  get size(): number {
    return this.heap.length;
  }
}

function before(a: Slot, b: Slot): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
