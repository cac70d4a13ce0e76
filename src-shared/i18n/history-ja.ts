/** Japanese texts of the history windows and messages. */
export const historyJa = {
  'history.placeholder': '',
};
