export * from './fault-event';
export * from './catalog-match';
export * from './journal-parse';
export * from './journal';
export * from './windows-parse';
export * from './windows';
export * from './suppression';
