/** Dot product xᵀy of two vectors of the same length. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}

/** Squared Euclidean norm ‖x‖². */
export function squaredNorm(x: ArrayLike<number>): number {
  return dot(x, x);
}
