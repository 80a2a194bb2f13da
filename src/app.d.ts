declare global {
  namespace App {
    interface Error { message: string; code: string; reference?: string }
    interface Locals { locale: import('$lib/i18n/locales').LocaleCode }
  }
}
export {};
