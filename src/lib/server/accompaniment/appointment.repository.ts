/**
 * Queries on appointments (`case_appointment`). Every function takes the transaction first
 * and the organization second; the week's queries go through the record's visibility
 * predicate (`visibleTo`), the same as every other query of the case tracker.
 */
import type { Kysely } from 'kysely';
import type { CaseAppointmentTable, Database } from '../db/schema';
import { visibleTo, type Viewer } from './person.repository';

export async function insertAppointment(db: Kysely<Database>, row: CaseAppointmentTable): Promise<void> {
  await db.insertInto('case_appointment').values(row).execute();
}

/** Her appointments, soonest first; `fromIso` keeps only those starting then or later. */
export async function listAppointmentsOfPerson(db: Kysely<Database>, organizationId: string, personId: string, options: { fromIso?: string; withCancelled?: boolean } = {}): Promise<CaseAppointmentTable[]> {
  let query = db.selectFrom('case_appointment').selectAll().where('organization_id', '=', organizationId).where('person_id', '=', personId);
  if (options.fromIso) query = query.where('starts_at', '>=', options.fromIso);
  if (!options.withCancelled) query = query.where('cancelled_at', 'is', null);
  return query.orderBy('starts_at').orderBy('id').execute();
}

/** Marks one of her appointments cancelled; false if there is no such live appointment of hers. */
export async function markAppointmentCancelled(db: Kysely<Database>, organizationId: string, personId: string, id: string, by: string, atIso: string): Promise<boolean> {
  const result = await db
    .updateTable('case_appointment')
    .set({ cancelled_at: atIso, cancelled_by: by })
    .where('organization_id', '=', organizationId)
    .where('person_id', '=', personId)
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface WeekAppointmentRow {
  id: string;
  person_id: string;
  starts_at: string;
  duration_minutes: number | null;
  place_encrypted: string;
  purpose_encrypted: string | null;
  attendee_id: string;
  wrapped_key: string | null;
  pseudonym_encrypted: string | null;
}

/** Live appointments starting in [fromIso, untilIso) of the open records the viewer may see, soonest first. */
export async function listVisibleAppointmentsBetween(db: Kysely<Database>, viewer: Viewer, fromIso: string, untilIso: string, nowIso: string, limit: number): Promise<WeekAppointmentRow[]> {
  return db
    .selectFrom('case_appointment')
    .innerJoin('case_person', 'case_person.id', 'case_appointment.person_id')
    .select([
      'case_appointment.id',
      'case_appointment.person_id',
      'case_appointment.starts_at',
      'case_appointment.duration_minutes',
      'case_appointment.place_encrypted',
      'case_appointment.purpose_encrypted',
      'case_appointment.attendee_id',
      'case_person.wrapped_key',
      'case_person.pseudonym_encrypted'
    ])
    .where('case_appointment.organization_id', '=', viewer.organizationId)
    .where('case_person.organization_id', '=', viewer.organizationId)
    .where('case_appointment.starts_at', '>=', fromIso)
    .where('case_appointment.starts_at', '<', untilIso)
    .where('case_appointment.cancelled_at', 'is', null)
    .where('case_person.status', '=', 'open')
    .where(visibleTo(viewer, nowIso))
    .orderBy('case_appointment.starts_at')
    .orderBy('case_appointment.id')
    .limit(limit)
    .execute();
}
