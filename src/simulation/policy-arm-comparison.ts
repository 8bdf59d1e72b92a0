/** One policy arm's realised reward in the service against the same learner in process. */
export interface PolicyArmComparison {
  policy: string;
  decisions: number;
  /** r̄_service = (1/n) Σₜ rₜ[aₜ] over the policy arm's n decisions in the service. */
  serviceAverage: number;
  /** r̄_in-process, over the same n rows in the same order. */
  inProcessAverage: number;
  /** r̄_service / r̄_in-process; 1 when both are 0, +∞ when only the in-process average is. */
  ratio: number;
}

/**
 * Compares a policy arm's per-decision rewards in the service with the in-process ones on the same rows.
 * @throws RangeError when the two lists differ in length or are empty.
 */
export function comparePolicyArm(policy: string, service: ArrayLike<number>, inProcess: ArrayLike<number>): PolicyArmComparison {
  if (service.length !== inProcess.length) {
    throw new RangeError(`policy arm ${policy}: ${service.length} service rewards against ${inProcess.length} in-process rewards`);
  }
  if (service.length === 0) throw new RangeError(`policy arm ${policy} has no decisions`);
  const serviceAverage = mean(service);
  const inProcessAverage = mean(inProcess);
  const ratio = inProcessAverage === 0 ? (serviceAverage === 0 ? 1 : Infinity) : serviceAverage / inProcessAverage;
  return { policy, decisions: service.length, serviceAverage, inProcessAverage, ratio };
}

/** The learning curve of a reward sequence: cₜ = (1/t) Σ_{s≤t} r_s for t = 1…n. */
export function cumulativeAverage(rewards: ArrayLike<number>): Float64Array {
  const curve = new Float64Array(rewards.length);
  let sum = 0;
  for (let t = 0; t < rewards.length; t++) {
    sum += rewards[t]!;
    curve[t] = sum / (t + 1);
  }
  return curve;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
