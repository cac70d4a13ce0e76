export * from './fault-event';
export * from './catalog-match';
export * from './journal';
export * from './windows';
export * from './suppression';
