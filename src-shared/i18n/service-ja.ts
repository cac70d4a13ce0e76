/** Japanese texts of the service windows and messages. */
export const serviceJa = {
  'service.placeholder': '',
};
