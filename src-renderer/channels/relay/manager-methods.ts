/** The manager methods (their receive ports' defaults, docs/formats/relay.md). */
export const RECEIVE_PORTS = { 'manager-express': 31136, 'manager-express-https': 31138 } as const;
export type ManagerMethod = keyof typeof RECEIVE_PORTS;
