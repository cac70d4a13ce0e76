/** English texts of the channel seam (src-main/channels/registry.ts, the generic report flows). */
export const channelsEn = {
  'route.https': 'HTTPS',
  'route.mail': 'internet mail',
  'route.dialup': 'dial-up',
  'route.manager-target': 'through a manager',
  'error.no-route': 'No report route is set for {method}. Choose one in [Base Setting].',
  'error.channel-unavailable': '{method} cannot send by {route} in this version yet.',
  'error.no-opening-report': '{method} has no opening report.',
  'error.draft-key': '{field} is not a setting of {method}.',
};
