// The store part for interventions. Outcomes are not stored: they are measured from the workouts
// whenever interventions are read (src/interventions/outcomes.ts).
import type { StoredIntervention } from '../interventions/intervention-schemas.js'

/** Every `change` or `admit` function may run more than once (a store may try it on a copy first): it must be
 * deterministic and free of side effects — draw ids and secrets before calling. A `change` refuses by throwing. */
export interface InterventionStore {
  /** oldest first */
  listInterventions (userId: string): Promise<readonly StoredIntervention[]>
  /** false when no such user */
  addIntervention (userId: string, intervention: StoredIntervention): Promise<boolean>
  /** `change` may refuse by throwing (the stored one is unchanged); null when there is no such intervention */
  updateIntervention (userId: string, interventionId: string, change: (intervention: StoredIntervention) => void): Promise<StoredIntervention | null>
}
