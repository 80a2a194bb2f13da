/**
 * What the appointment routes share: a refused field re-renders her form with the message
 * next to that field and her values; anything else goes through `caseAction`.
 */
import { fail } from '@sveltejs/kit';
import { AppointmentRefusedError } from './appointment.service';
import { caseAction, type CaseFailure } from './web';

/** Awaits an appointment use case (a promise: route files pass no async callbacks). */
export async function appointmentAction<T>(values: Record<string, unknown>, work: Promise<T>): Promise<T | CaseFailure> {
  return caseAction(
    values,
    work.catch((e: unknown) => {
      if (e instanceof AppointmentRefusedError) return fail(400, { problems: [{ field: e.field, key: e.key }], values, form: 'appointment' }) as unknown as T;
      throw e;
    })
  );
}
