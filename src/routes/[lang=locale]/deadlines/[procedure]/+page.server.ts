import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { procedures, type Procedure } from '$lib/deadlines/rules';
import { formValuesOf, parisNowFields, readDeadlineForm, type DeadlineFormValues } from '$lib/deadlines/form';
import { translator } from '$lib/i18n/translate';

function procedureOf(param: string): Procedure {
  if (!(procedures as readonly string[]).includes(param)) error(404, { code: 'not_found', message: 'not_found' });
  return param as Procedure;
}

const empty: DeadlineFormValues = { date: '', time: '', custody: '', departure_period: '' };

export const load: PageServerLoad = ({ params }) => {
  return {
    procedure: procedureOf(params.procedure),
    // The fields start at "now", French time; the browser resets them when it shows a
    // page the service worker kept from an earlier day.
    defaults: parisNowFields()
  };
};

export const actions: Actions = {
  /**
   * Her answers arrive by POST so that they never sit in the address bar, the history or
   * a log line; they are used for this answer and forgotten.
   */
  default: async ({ request, params, locals }) => {
    const procedure = procedureOf(params.procedure);
    const t = translator(locals.locale);
    let values = empty;
    try {
      values = formValuesOf(await request.formData());
    } catch {
      // Not a form body: treated as an empty form, which lists what is missing.
    }
    const outcome = readDeadlineForm(procedure, values, t);
    if (!outcome.ok) return fail(400, { values, errors: outcome.errors });
    return { values, answer: outcome.answer };
  }
};
