/**
 * Strain names as typed by people differ in case, spacing and character width ("blue  dream " vs
 * "Blue Dream", a known pain point that broke Apex matching): look-ups compare this form.
 */
export function strainKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}
