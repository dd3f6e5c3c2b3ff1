import type { RequestContext } from '../context/request-context';
import { testContext } from '../testing/request-context.fixture';
import type { ListQuery } from '../validation/list-query';
import { dictLiteralOf, volumeTypeListFilters } from './volume-type-list-query';

const ctx = (isAdmin: boolean, microversion = '3.70'): RequestContext =>
  testContext(microversion, { isAdmin, roles: isAdmin ? ['admin'] : ['member'], userId: 'u', projectId: 'p', baseUrl: 'http://strata' });
const query = (filters: Record<string, string>): ListQuery => ({
  limit: 1000,
  marker: null,
  offset: 0,
  sort: [],
  withCount: false,
  allTenants: false,
  filters,
});

describe('dictLiteralOf', () => {
  it.each([
    ["{'k': 'v'}", { k: 'v' }],
    ['{"k": "v", \'RESKEY:availability_zones\': "az1, az2"}', { k: 'v', 'RESKEY:availability_zones': 'az1, az2' }],
    [" { 'a' : 'b' , } ", { a: 'b' }],
    ['{}', {}],
    ["{'it\\'s': 'x'}", { "it's": 'x' }],
  ])('reads %s', (text, expected) => expect(dictLiteralOf(text)).toEqual(expected));

  it.each(["{'k': 1}", "{'k' 'v'}", "['k']", "{'k': 'v'} x", "{'k': 'v'", 'k=v', ''])('refuses %s', (text) =>
    expect(dictLiteralOf(text)).toBeNull(),
  );
});

describe('volumeTypeListFilters', () => {
  it('shows a user the public types and those of its project, whatever it asks for', () =>
    expect(volumeTypeListFilters(ctx(false), query({ is_public: 'false' }))).toEqual({ isPublic: true }));

  it('refuses other filters from a user from 3.52, and drops them before', () => {
    expect(() => volumeTypeListFilters(ctx(false), query({ name: 'x', colour: 'red' }))).toThrow(
      'Invalid filters name,colour are found in query options.',
    );
    expect(volumeTypeListFilters(ctx(false, '3.51'), query({ name: 'x' }))).toEqual({ isPublic: true });
  });

  it("reads an admin's is_public as Cinder does: absent true, None all, else a strict boolean", () => {
    expect(volumeTypeListFilters(ctx(true), query({}))).toMatchObject({ isPublic: true });
    expect(volumeTypeListFilters(ctx(true), query({ is_public: 'None' }))).toMatchObject({ isPublic: null });
    expect(volumeTypeListFilters(ctx(true), query({ is_public: ' No ' }))).toMatchObject({ isPublic: false });
    expect(() => volumeTypeListFilters(ctx(true), query({ is_public: 'perhaps' }))).toThrow('Invalid is_public filter [perhaps]');
  });

  it("passes an admin's column and extra specs filters on, and matches nothing for a column types do not have", () => {
    expect(volumeTypeListFilters(ctx(true), query({ name: 'gold', extra_specs: "{'k': 'v'}" }))).toEqual({
      isPublic: true,
      filters: { name: 'gold' },
      extraSpecs: { k: 'v' },
    });
    expect(volumeTypeListFilters(ctx(true), query({ colour: 'red' }))).toBeNull();
  });

  it('refuses filter keys that are not ASCII from 3.52', () =>
    expect(() => volumeTypeListFilters(ctx(true), query({ naïve: 'x' }))).toThrow('Filter keys can only contain ASCII characters.'));
});
