import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard, requireRecentAuth } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { CONSENT_SCOPES } from '$lib/server/accompaniment/consent';
import { canDoCase } from '$lib/server/accompaniment/person.policy';
import { readConsentForm, readProfileForm } from '$lib/server/accompaniment/person.form';
import {
  assignHelper,
  listHelperAccounts,
  openProcedure,
  readPerson,
  recordConsent,
  unassignHelper,
  updatePerson,
  withdrawConsent
} from '$lib/server/accompaniment/person.service';
import { caseAction, caseContext, caseLoad, isFailure } from '$lib/server/accompaniment/web';
import { isProcedureKind, PROCEDURE_KINDS } from '$lib/accompaniment/procedures';
import { closePerson, CLOSE_REASONS, isCloseReason } from '$lib/server/accompaniment/rights.service';
import { addAppointment, cancelAppointment, listAppointments } from '$lib/server/accompaniment/appointment.service';
import { readAppointmentForm } from '$lib/server/accompaniment/appointment.form';
import { appointmentAction } from '$lib/server/accompaniment/appointment.web';
import { parisDateKey } from '$lib/time/paris-time';

/** What a redirect after an appointment's POST says it did (`?done=`). */
const APPOINTMENT_DONE = ['appointment_added', 'appointment_cancelled'];

export const _policy: StaffPolicy = 'cases';

/** Her record (the view is audited). Someone she is not assigned to gets the 404 page. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await caseContext(who);
  const person = await caseLoad(readPerson(ctx, event.params.id));
  const canAssign = canDoCase(who.role, 'case.assign');
  const helpers = canAssign ? await caseLoad(listHelperAccounts(ctx)) : [];
  // Her rights: documents, export, closing, erasure (rights.service.ts).
  const rights = { canClose: canDoCase(who.role, 'case.close'), canExport: canDoCase(who.role, 'case.export'), canErase: canDoCase(who.role, 'case.erase'), closeReasons: CLOSE_REASONS };
  // Her appointments from today on, and who may go with her (appointment.service.ts).
  const appointments = await caseLoad(listAppointments(ctx, event.params.id));
  const doneParam = event.url.searchParams.get('done') ?? '';
  return {
    person,
    helpers,
    canAssign,
    kinds: PROCEDURE_KINDS,
    scopes: CONSENT_SCOPES,
    rights,
    appointments: { ...appointments, canWrite: canDoCase(who.role, 'case.write'), today: parisDateKey(new Date()), me: who.accountId },
    done: APPOINTMENT_DONE.includes(doneParam) ? doneParam : null
  };
};

function formOf(request: Request): Promise<FormData> {
  return request.formData().catch(() => new FormData());
}

const text = (form: FormData, name: string, max = 60) => String(form.get(name) ?? '').slice(0, max);

export const actions: Actions = {
  assign: async (event) => {
    const who = await guard(event, _policy);
    const form = await formOf(event.request);
    return caseAction({}, assignHelper(await caseContext(who), event.params.id, text(form, 'account')).then(() => ({ done: 'assigned' })));
  },
  unassign: async (event) => {
    const who = await guard(event, _policy);
    const account = text(await formOf(event.request), 'account');
    const result = await caseAction({}, unassignHelper(await caseContext(who), event.params.id, account).then(() => ({ done: 'unassigned' })));
    // Having removed herself, she no longer sees the record: back to her list.
    if (!isFailure(result) && account === who.accountId) redirect(303, '/staff/people');
    return result;
  },
  // Withdrawing consent erases data at once: she confirms who she is first (issue 5).
  withdraw: async (event) => {
    const who = await guard(event, _policy);
    requireRecentAuth(event, who);
    const form = await formOf(event.request);
    return caseAction({}, withdrawConsent(await caseContext(who), event.params.id, text(form, 'consent')).then(() => ({ done: 'withdrawn' })));
  },
  consent: async (event) => {
    const who = await guard(event, _policy);
    const parsed = readConsentForm(await formOf(event.request));
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values, form: 'consent' });
    return caseAction(parsed.values, recordConsent(await caseContext(who), event.params.id, parsed.value).then(() => ({ done: 'consented' })));
  },
  update: async (event) => {
    const who = await guard(event, _policy);
    const parsed = readProfileForm(await formOf(event.request));
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values, form: 'profile' });
    return caseAction(parsed.values, updatePerson(await caseContext(who), event.params.id, parsed.value).then(() => ({ done: 'updated' })));
  },
  close: async (event) => {
    const who = await guard(event, _policy);
    const reason = text(await formOf(event.request), 'reason', 40);
    if (!isCloseReason(reason)) return fail(400, { problems: [{ field: 'reason', key: 'case.close.error.reason' }], values: { reason }, form: 'close' });
    return caseAction({ reason }, closePerson(await caseContext(who), event.params.id, reason).then(() => ({ done: 'closed' })));
  },
  // An appointment with her: POST, then back to her page (no resubmission on reload).
  addAppointment: async (event) => {
    const who = await guard(event, _policy);
    const parsed = readAppointmentForm(await formOf(event.request));
    if (!parsed.ok) return fail(400, { problems: parsed.problems, values: parsed.values, form: 'appointment' });
    const result = await appointmentAction(parsed.values, addAppointment(await caseContext(who), event.params.id, parsed.value));
    if (isFailure(result)) return result;
    redirect(303, `/staff/people/${encodeURIComponent(event.params.id)}?done=appointment_added#appointments`);
  },
  cancelAppointment: async (event) => {
    const who = await guard(event, _policy);
    const appointment = text(await formOf(event.request), 'appointment');
    const result = await caseAction({}, cancelAppointment(await caseContext(who), event.params.id, appointment));
    if (isFailure(result)) return result;
    redirect(303, `/staff/people/${encodeURIComponent(event.params.id)}?done=appointment_cancelled#appointments`);
  },
  openProcedure: async (event) => {
    const who = await guard(event, _policy);
    const kind = text(await formOf(event.request), 'kind', 40);
    if (!isProcedureKind(kind)) return fail(400, { problems: [{ field: 'kind', key: 'case.form.error.invalid' }], values: { kind } });
    const result = await caseAction({ kind }, openProcedure(await caseContext(who), event.params.id, kind));
    if (isFailure(result)) return result;
    redirect(303, `/staff/people/${encodeURIComponent(event.params.id)}/procedures/${result.id}`);
  }
};
