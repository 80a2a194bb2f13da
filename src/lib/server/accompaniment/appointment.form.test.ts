import { describe, expect, it } from 'vitest';
import { readAppointmentForm } from './appointment.form';

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries({ appointment_date: '2026-12-03', appointment_time: '14:30', duration: '', place: 'Fake prefecture', purpose: '', attendee: 'acc-1', ...values })) data.set(k, v);
  return data;
};

describe('readAppointmentForm', () => {
  it('reads the date and time on the Paris wall clock', () => {
    const parsed = readAppointmentForm(form({ duration: '45', purpose: ' Renewal ' }));
    expect(parsed.ok && parsed.value).toEqual({ startsAt: new Date('2026-12-03T13:30:00Z'), durationMinutes: 45, place: 'Fake prefecture', purpose: 'Renewal', attendeeId: 'acc-1' });
    // Summer time: 14:30 in July is 12:30 UTC.
    const july = readAppointmentForm(form({ appointment_date: '2027-07-01' }));
    expect(july.ok && july.value.startsAt.toISOString()).toBe('2027-07-01T12:30:00.000Z');
  });

  it('moves a time skipped by the change to summer time forward', () => {
    const parsed = readAppointmentForm(form({ appointment_date: '2027-03-28', appointment_time: '02:30' }));
    expect(parsed.ok && parsed.value.startsAt.toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });

  it('refuses an impossible date or time, a bad duration, an empty place, with her values kept, in the order of the form', () => {
    const parsed = readAppointmentForm(form({ appointment_date: '2026-02-30', appointment_time: '25:00', duration: 'an hour', place: ' ', attendee: '' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      { field: 'appointment_date', key: 'case.appointment.error.date' },
      { field: 'appointment_time', key: 'case.appointment.error.time' },
      { field: 'duration', key: 'case.appointment.error.duration' },
      { field: 'place', key: 'case.appointment.error.place' },
      { field: 'attendee', key: 'case.appointment.error.attendee' }
    ]);
    expect(parsed.values).toMatchObject({ appointment_date: '2026-02-30', appointment_time: '25:00', duration: 'an hour' });
  });

  it('refuses a missing date and a text too long', () => {
    const parsed = readAppointmentForm(form({ appointment_date: '', purpose: 'x'.repeat(201) }));
    expect(!parsed.ok && parsed.problems).toEqual([
      { field: 'appointment_date', key: 'case.appointment.error.date' },
      { field: 'purpose', key: 'case.form.error.too_long' }
    ]);
  });
});
