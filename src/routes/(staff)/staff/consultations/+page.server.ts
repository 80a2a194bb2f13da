import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { listConsultations } from '$lib/server/participation/consultation.repository';

export const _policy: StaffPolicy = 'participation.facilitate';

/** The organization's consultations with their phase and counts. */
export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const { db } = await database();
  return { consultations: await listConsultations(db, who.organizationId) };
};
