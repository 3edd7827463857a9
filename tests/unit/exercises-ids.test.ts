import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXERCISE_ID_PATTERN } from '../../src/exercises/checking';
import { duplicateIds, exercisesInMdx } from '../../src/exercises/manifest';

const contentDir = join(process.cwd(), 'content');

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return mdxFiles(path);
    return entry.name.endsWith('.mdx') ? [path] : [];
  });
}

const found = mdxFiles(contentDir).flatMap((file) =>
  exercisesInMdx(readFileSync(file, 'utf8')).map((exercise) => ({ ...exercise, file: relative(process.cwd(), file) })),
);

describe('exercise ids across the course', () => {
  it('finds the exercises of chapter 1', () => {
    const ids = found.filter((exercise) => exercise.file === join('content', 'exercises', 'backprop.mdx')).map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(5);
  });

  it('are unique in content/**/*.mdx', () => {
    const duplicates = duplicateIds(found.map((exercise) => exercise.id));
    const where = [...duplicates.keys()].map((id) => `${id} in ${found.filter((e) => e.id === id).map((e) => e.file).join(', ')}`);
    expect(where).toEqual([]);
  });

  it('are well formed (lowercase letters, digits and dashes)', () => {
    for (const exercise of found) expect(exercise.id, exercise.file).toMatch(EXERCISE_ID_PATTERN);
  });
});

describe('exercisesInMdx', () => {
  it('reads ids and titles from every exercise component, in order', () => {
    const source = [
      '<MultipleChoice id="a-one" title="First">',
      "<NumericAnswer title='Second' answer={1} id='a-two'>",
      '<Ordering\n  id="a-three"\n  title="Third"\n>',
      '<Matching id={"a-four"} title="Fourth">',
      '<PredictThenRun id="a-five" title="Fifth" widget="w" measure="k/m" settings={{ x: 1 }}>',
      '<WidgetChallenge id="a-six" title="Sixth" widget="w" check="k/c">',
      '<Choice id="not-an-exercise">',
    ].join('\n');
    expect(exercisesInMdx(source)).toEqual([
      { id: 'a-one', title: 'First', component: 'MultipleChoice' },
      { id: 'a-two', title: 'Second', component: 'NumericAnswer' },
      { id: 'a-three', title: 'Third', component: 'Ordering' },
      { id: 'a-four', title: 'Fourth', component: 'Matching' },
      { id: 'a-five', title: 'Fifth', component: 'PredictThenRun' },
      { id: 'a-six', title: 'Sixth', component: 'WidgetChallenge' },
    ]);
  });

  it('skips examples inside fenced code blocks', () => {
    const source = 'Text\n\n```mdx\n<MultipleChoice id="example" title="x">\n```\n\n<MultipleChoice id="real" title="y">';
    expect(exercisesInMdx(source).map((exercise) => exercise.id)).toEqual(['real']);
  });

  it('reports duplicates with their count', () => {
    expect([...duplicateIds(['a', 'b', 'a', 'c', 'a', 'b'])]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });
});
