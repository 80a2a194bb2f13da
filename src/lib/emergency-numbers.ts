/**
 * National emergency numbers (FACTS.md §5, checked 2026-11-29). All free, all 24/7.
 * `sms`: reached by text message, for when speaking is not safe.
 */
export const emergencyNumbers = [
  { number: '17', display: '17', dial: '17', sms: false },
  { number: '112', display: '112', dial: '112', sms: false },
  { number: '114', display: '114', dial: '114', sms: true },
  { number: '115', display: '115', dial: '115', sms: false },
  { number: '119', display: '119', dial: '119', sms: false },
  { number: '3919', display: '3919', dial: '3919', sms: false }
] as const;

export const emergencyNumbersLastChecked = '2026-11-29';
