import { describe, expect, test } from 'vitest';
import { toolSpecs, toolsById } from '../../../activities/tools/index.js';

describe('toolSpecs', () => {
  test('describes each tool as an OpenAI function with a JSON schema', () => {
    const [read] = toolSpecs(['read']);
    expect(read).toMatchObject({
      type: 'function',
      function: {
        name: 'read',
        parameters: { type: 'object', required: ['filePath'], properties: { filePath: { type: 'string' } } },
      },
    });
    expect(read?.function.parameters).not.toHaveProperty('$schema');
  });

  test('fields with defaults are optional for the model', () => {
    const [webfetch] = toolSpecs(['webfetch']);
    expect(webfetch?.function.parameters.required).toEqual(['url']);
  });

  test.each(Object.keys(toolsById))('every parameter of %s is described', (id) => {
    const [spec] = toolSpecs([id]);
    const properties = spec?.function.parameters.properties as Record<string, { description?: string }>;
    for (const [name, property] of Object.entries(properties)) {
      expect(property.description, `${id}.${name}`).toBeTruthy();
    }
  });

  test('rejects ids that are not activity tools, naming the available ones', () => {
    expect(() => toolSpecs(['read', 'task'])).toThrow('No activity tool with id task. Available: read, write, edit, list, glob, grep, bash, webfetch, skill.');
  });
});
