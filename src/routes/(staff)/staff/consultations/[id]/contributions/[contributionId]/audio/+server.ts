import type { RequestHandler } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { contributionAudio } from '$lib/server/participation/contribution.service';
import { audioResponse } from '$lib/server/participation/audio.web';
import { participationContext, participationLoad } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.facilitate';

/** A contribution's recording, decrypted, never cached. */
export const GET: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const audio = await participationLoad(contributionAudio(await participationContext(who), event.params.id, event.params.contributionId));
  return audioResponse(audio);
};
