/**
 * The "add an appointment" form, parsed once at the edge (zod): a date and a time on the
 * Paris wall clock, an optional duration, the place, the purpose and who goes with her.
 * A failed form gives the problems (field + message key) and the values she typed.
 */
import { z } from 'zod';
import { fromParis, parseDateKey } from '../../time/paris-time';
import type { AddAppointmentInput } from './appointment.service';
import type { FormValues, Parsed, Problem } from './person.form';

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

const schema = z.object({
  appointment_date: z
    .string()
    .trim()
    .refine((v) => parseDateKey(v) !== null, 'case.appointment.error.date'),
  appointment_time: z
    .string()
    .trim()
    .refine((v) => TIME.test(v), 'case.appointment.error.time'),
  duration: z
    .string()
    .trim()
    .refine((v) => v === '' || /^\d{1,3}$/.test(v), 'case.appointment.error.duration')
    .transform((v) => (v === '' ? null : Number(v))),
  place: z.string().trim().min(1, 'case.appointment.error.place').max(200, 'case.form.error.too_long'),
  purpose: z
    .string()
    .trim()
    .max(200, 'case.form.error.too_long')
    .transform((v) => (v === '' ? null : v)),
  attendee: z.string().trim().min(1, 'case.appointment.error.attendee').max(60, 'case.appointment.error.attendee')
});

const FIELDS = ['appointment_date', 'appointment_time', 'duration', 'place', 'purpose', 'attendee'] as const;

/** Parses the form; the instant is the Paris wall clock (a time skipped by summer time moves forward). */
export function readAppointmentForm(form: FormData): Parsed<AddAppointmentInput> {
  const values: FormValues = {};
  for (const name of FIELDS) {
    const value = form.get(name);
    values[name] = typeof value === 'string' ? value.slice(0, 400) : '';
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const problems: Problem[] = [];
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      if (problems.some((p) => p.field === field)) continue;
      problems.push({ field, key: issue.message.startsWith('case.') ? issue.message : 'case.form.error.invalid' });
    }
    // In the order of the form, so the summary reads top to bottom.
    problems.sort((a, b) => FIELDS.indexOf(a.field as (typeof FIELDS)[number]) - FIELDS.indexOf(b.field as (typeof FIELDS)[number]));
    return { ok: false, problems, values };
  }
  const { year, month, day } = parseDateKey(parsed.data.appointment_date)!;
  const [hour, minute] = parsed.data.appointment_time.split(':').map(Number) as [number, number];
  return {
    ok: true,
    values,
    value: {
      startsAt: fromParis({ year, month, day, hour, minute }),
      durationMinutes: parsed.data.duration,
      place: parsed.data.place,
      purpose: parsed.data.purpose,
      attendeeId: parsed.data.attendee
    }
  };
}
