import type { dialupJa } from './dialup-ja';

/** English texts of dialup-ja.ts; every key of it. */
export const dialupEn: Record<keyof typeof dialupJa, string> = {
  'delivery.dialup.port-missing': 'the serial port was not found; check the serial port in the destination settings and that the modem is connected',
  'delivery.dialup.port-busy': 'the serial port is in use by another program (a remote access service, …); the report is sent again later',
  'delivery.dialup.no-response': 'the modem does not respond; check the cable and the port, and that the modem is on',
  'delivery.dialup.init-error': "the modem refused the init string (ERROR); check the modem's init string",
  'delivery.dialup.crc': 'too many frames were damaged on the line (CRC errors); check the telephone line; the report is sent again later',
  'delivery.dialup.no-final-ack': 'the center did not acknowledge the report at the end; the report is sent again later',
  'delivery.dialup.redial-limit': 'a number may be redialled at most twice within 3 minutes (Japan’s terminal equipment rules); the report is sent again on its schedule',
  'delivery.dialup.bmc': "the BMC routes cannot be used on this machine; choose the serial port as the report route",
  'delivery.dialup.cancelled': 'the report was cancelled and the line hung up',
  'dialup.error.no-bmc':
    'The server management port and the management port call through the BMC, and this machine has no reachable BMC ({devices} not found). Choose the serial port as the report route, or load the IPMI driver.',
};
