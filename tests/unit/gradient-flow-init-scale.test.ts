import { describe, expect, it } from 'vitest';
import { initScaleAfterInitChange } from '~/widgets/gradient-flow/summary';
import { gradientFlowSettings } from '~/widgets/gradient-flow/settings';

const naiveDefault = Number(gradientFlowSettings.find((spec) => spec.key === 'initScale')!.default);

describe('initScaleAfterInitChange', () => {
  it('sets the scale to 1 when leaving naive initialisation at its default scale', () => {
    expect(initScaleAfterInitChange('naive', 'glorot', naiveDefault, naiveDefault)).toBe(1);
    expect(initScaleAfterInitChange('naive', 'he', naiveDefault, naiveDefault)).toBe(1);
  });

  it('restores the naive default when returning to naive with the scale still at 1', () => {
    expect(initScaleAfterInitChange('glorot', 'naive', 1, naiveDefault)).toBe(naiveDefault);
    expect(initScaleAfterInitChange('he', 'naive', 1, naiveDefault)).toBe(naiveDefault);
  });

  it("keeps a scale the reader chose", () => {
    expect(initScaleAfterInitChange('naive', 'he', 0.3, naiveDefault)).toBeUndefined();
    expect(initScaleAfterInitChange('he', 'naive', 2, naiveDefault)).toBeUndefined();
  });

  it('leaves the scale alone between Glorot and He, and when init does not change', () => {
    expect(initScaleAfterInitChange('glorot', 'he', 1, naiveDefault)).toBeUndefined();
    expect(initScaleAfterInitChange('he', 'glorot', naiveDefault, naiveDefault)).toBeUndefined();
    expect(initScaleAfterInitChange('naive', 'naive', naiveDefault, naiveDefault)).toBeUndefined();
  });
});
