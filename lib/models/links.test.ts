import { describe, expect, it } from 'vitest';
import { compareVersionsHref, modelHref, modelNameFromParam, modelsHref, promotionRequestHref, runHref } from './links';

const awkwardName = 'churn model #2 ?v=1 & 50% ü';

describe('links', () => {
  it('percent-encodes model names in paths and queries', () => {
    expect(modelHref('fraud', 'fraud-detector')).toBe('/t/fraud/models/fraud-detector');
    expect(modelHref('fraud', awkwardName)).toBe(
      '/t/fraud/models/churn%20model%20%232%20%3Fv%3D1%20%26%2050%25%20%C3%BC',
    );
    expect(promotionRequestHref('fraud', awkwardName, '3')).toBe(
      '/t/fraud/promotions/new?model=churn+model+%232+%3Fv%3D1+%26+50%25+%C3%BC&version=3',
    );
    expect(new URL(promotionRequestHref('fraud', awkwardName, '3'), 'http://portal').searchParams.get('model')).toBe(
      awkwardName,
    );
  });

  it('links a run and a page of the models list', () => {
    expect(runHref('fraud', 'baa9128d9d8e47a3a77a164310b7e9e7')).toBe('/t/fraud/runs/baa9128d9d8e47a3a77a164310b7e9e7');
    expect(modelsHref('fraud')).toBe('/t/fraud/models');
    expect(modelsHref('fraud', 'eyJvZmZzZXQiOiA1MH0=')).toBe('/t/fraud/models?page=eyJvZmZzZXQiOiA1MH0%3D');
  });

  it('links the comparison of two versions, the default pair without any', () => {
    expect(compareVersionsHref('fraud', 'fraud-detector')).toBe('/t/fraud/models/fraud-detector/compare');
    expect(compareVersionsHref('fraud', awkwardName, { a: '4', b: '5', differencesOnly: true })).toBe(
      '/t/fraud/models/churn%20model%20%232%20%3Fv%3D1%20%26%2050%25%20%C3%BC/compare?a=4&b=5&diff=1',
    );
  });

  it('reads the model name back from its route segment', () => {
    expect(modelNameFromParam(modelHref('fraud', awkwardName).split('/').at(-1)!)).toBe(awkwardName);
    expect(modelNameFromParam('fraud-detector')).toBe('fraud-detector');
    expect(modelNameFromParam('100%')).toBe('100%');
  });
});
