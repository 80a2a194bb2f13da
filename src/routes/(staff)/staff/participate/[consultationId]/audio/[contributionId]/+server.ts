import type { RequestHandler } from './$types';
import { guard } from '$lib/server/accounts/web';
import type { StaffPolicy } from '$lib/server/accounts/staff.policy';
import { ownAudio } from '$lib/server/participation/contribution.service';
import { audioResponse } from '$lib/server/participation/audio.web';
import { memberContext, participationLoad } from '$lib/server/participation/contribution.web';

export const _policy: StaffPolicy = 'participation.take_part';

/** Her own recording (found with her author key), decrypted, never cached. */
export const GET: RequestHandler = async (event) => {
  const who = await guard(event, _policy);
  const audio = await participationLoad(ownAudio(await memberContext(event, who), event.params.consultationId, event.params.contributionId));
  return audioResponse(audio);
};
