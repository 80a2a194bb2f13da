import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { consultationChoices, createWorkshop, facilitatorChoices, listWorkshops, WORKSHOP_FORMATS } from '$lib/server/participation/workshop.service';
import { MEMBER_LANGUAGES } from '$lib/server/participation/context';
import { integer, isFailure, participationAction, participationContext, readForm, refuse } from '$lib/server/participation/web';
import { parseIsoDateTime } from '$lib/time/paris-time';

export const _policy: StaffPolicy = 'participation.facilitate';

export const load: PageServerLoad = async (event) => {
  const who = await guard(event, _policy);
  const ctx = await participationContext(who);
  return {
    workshops: await listWorkshops(ctx),
    facilitators: await facilitatorChoices(ctx),
    consultations: await consultationChoices(ctx),
    formats: WORKSHOP_FORMATS,
    languages: MEMBER_LANGUAGES
  };
};

export const actions: Actions = {
  /** Plans a workshop; its door code is shown this once (renew it on the workshop's page). */
  create: async (event) => {
    const who = await guard(event, _policy);
    const { values, form } = await readForm(event.request, ['title', 'starts_at', 'duration', 'place', 'format', 'consultation', 'childcare', 'transport', 'meal'], 300);
    const facilitatorIds = form.getAll('facilitators').filter((v): v is string => typeof v === 'string');
    const interpretation = form.getAll('interpretation').filter((v): v is string => typeof v === 'string');
    const kept = { ...values, facilitators: facilitatorIds.join(','), interpretation: interpretation.join(',') };
    // Paris wall time from the form ("2026-12-03T14:30"), stored as a UTC instant.
    const startsAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(values.starts_at!) ? parseIsoDateTime(values.starts_at!) : null;
    if (!startsAt) return refuse('create', kept, [{ field: 'starts_at', key: 'participation.error.starts_at' }]);
    const created = await participationAction(
      'create',
      kept,
      createWorkshop(await participationContext(who), {
        title: values.title!,
        startsAt,
        durationMinutes: integer(values.duration!),
        place: values.place!,
        format: values.format!,
        facilitatorIds,
        services: { interpretation, childcare: values.childcare === 'yes', transport: values.transport === 'yes', meal: values.meal === 'yes' },
        consultationId: values.consultation || null
      })
    );
    if (isFailure(created)) return created;
    return { created: { id: created.id, code: created.code, title: values.title!.trim() } };
  }
};
