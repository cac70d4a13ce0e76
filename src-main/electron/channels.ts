/** IPC channel names shared by the main-process binding and the preload (no imports: the preload stays tiny). */

/** The channel on which backend events reach the window. */
export const EVENT_CHANNEL = 'api:event';
