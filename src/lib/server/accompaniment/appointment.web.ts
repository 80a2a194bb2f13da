/**
 * What the appointment routes share: a refused field re-renders her form with the message
 * next to that field and her values; any other refusal (her record closed meanwhile) keeps
 * her form open with her values too. A record she may not see is the 404 page (`caseAction`).
 */
import { fail } from '@sveltejs/kit';
import { AppointmentRefusedError } from './appointment.service';
import { caseAction, isFailure, type CaseFailure } from './web';

/** Awaits an appointment use case (a promise: route files pass no async callbacks). */
export async function appointmentAction<T>(values: Record<string, unknown>, work: Promise<T>): Promise<T | CaseFailure> {
  const result = await caseAction(
    values,
    work.catch((e: unknown) => {
      if (e instanceof AppointmentRefusedError) return fail(400, { problems: [{ field: e.field, key: e.key }], values }) as unknown as T;
      throw e;
    })
  );
  return isFailure(result) ? (fail(result.status, { ...result.data, form: 'appointment' }) as CaseFailure) : result;
}
