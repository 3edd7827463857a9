/**
 * Number formatting for readers, shared by the settings messages (engine), the charts, the
 * summaries and the data tables. Pure TypeScript.
 */

/**
 * Formats a number for a reader: two significant digits, exponent notation for very small or
 * large magnitudes ("3e-7", "2.5e+4"), plain notation otherwise ("0.21", "340").
 */
export function formatValue(value: number, significantDigits = 2): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e4) {
    // Integers stay integers ("340", not "3.4e+2").
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(significantDigits)));
  }
  const [mantissa, exponent] = value.toExponential(significantDigits - 1).split('e');
  const trimmedMantissa = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return `${trimmedMantissa}e${exponent.replace('+', '')}`;
}

/** A fraction as a whole percentage for readers ("87%"); "–" when there is none. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${Math.round(fraction * 100)}%` : '–';
}
