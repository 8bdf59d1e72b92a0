/** 2⁵³: below it every integer is exact in a double. */
const EXACT_INTEGER_LIMIT = 2 ** 53;
/** 10⁰ … 10²²: the powers of ten that are exact in a double. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number written in text[start … end) when it is a plain decimal — an optional `-`, digits, an
 * optional `.` and digits, at least one digit — with at most 2⁵³ − 1 as its digit string and at most 22
 * digits after the point; NaN for anything else (signs `+`, exponents, spaces, hex, too many digits),
 * which the caller then hands to `Number`. Reads the characters in place, so a CSV cell needs no substring.
 *
 * Exactly `Number(text.slice(start, end))` whenever it is not NaN: with M the digit string as an integer
 * and k the digits after the point, M < 2⁵³ and 10ᵏ (k ≤ 22) are both exact doubles, so M / 10ᵏ is one
 * correctly rounded IEEE division, i.e. the double nearest the decimal, which is what `Number` returns
 * (Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990 — the fast path). O(end − start).
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let position = start;
  const negative = text.charCodeAt(position) === 45; // '-'
  if (negative) position++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; position < end; position++) {
    const code = text.charCodeAt(position);
    if (code >= 48 && code <= 57) {
      if (mantissa >= (EXACT_INTEGER_LIMIT - 9) / 10) return Number.NaN;
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (code === 46 && fraction < 0) {
      fraction = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || fraction > 22) return Number.NaN;
  const value = fraction > 0 ? mantissa / EXACT_POWERS_OF_TEN[fraction]! : mantissa;
  return negative ? -value : value;
}
