import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'graphql';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { DEFAULT_LIST_BOUND, FIELD_WEIGHTS, LIST_BOUNDS, fieldCost } from './cost.js';
import { MAX_COMPLEXITY, operationCost } from './limits.js';
import { getSchema } from './schema.js';

const cost = async (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  operationCost(await getSchema(), parse(query), variables, operationName);

describe('the cost model', () => {
  it('costs a limit given by a variable default as the default, not as 20', async () => {
    // the attack: query($l:Int=500) was costed as if the limit were 20
    const withDefault = await cost('query($l: Int = 500) { repository(id: 1) { events(limit: $l) { id } } }');
    const literal = await cost('{ repository(id: 1) { events(limit: 500) { id } } }');
    assert.equal(withDefault, literal);
    assert.ok(withDefault > 500, `${withDefault}`);
    const sent = await cost('query($l: Int = 1) { repository(id: 1) { events(limit: $l) { id } } }', {
      l: 500,
    });
    assert.equal(sent, literal);
  });

  it('costs a limit as the resolver clamps it (1..500), absent as its default', async () => {
    const huge = await cost('{ repository(id: 1) { events(limit: 1000000000) { id } } }');
    const max = await cost('{ repository(id: 1) { events(limit: 500) { id } } }');
    const none = await cost('{ repository(id: 1) { events { id } } }');
    const twenty = await cost('{ repository(id: 1) { events(limit: 20) { id } } }');
    assert.equal(huge, max);
    assert.equal(none, twenty);
  });

  it('costs lists without a limit by their bound, nested lists multiplied', async () => {
    const keyBound = LIST_BOUNDS['Repository.sshKeys']!;
    const groupBound = LIST_BOUNDS['SshKey.groups']!;
    // repository(1) + sshKeys(1) + keys x (groups(1) + groups x id(1))
    const expected = 1 + 1 + keyBound * (1 + groupBound * 1);
    assert.equal(await cost('{ repository(id: 1) { sshKeys { groups { id } } } }'), expected);
    const flat = await cost('{ repository(id: 1) { sshKeys { id } } }');
    assert.equal(flat, 1 + 1 + keyBound * 1);
    assert.ok(DEFAULT_LIST_BOUND > 1);
  });

  it('charges repositoryPage by first: its items times their selection', async () => {
    const page = (first: string) =>
      cost(`{ repositoryPage${first} { edges { node { id events(limit: 10) { id } } } } }`);
    const one = await page('(first: 1)');
    const fifty = await page('');
    assert.equal(await page('(first: 50)'), fifty, 'absent is the default, 50');
    assert.equal(fifty - 1, 50 * (one - 1), 'fifty items cost fifty times one (plus 1 for the page)');
    assert.equal(await page('(first: 100000)'), await page('(first: 500)'), 'as the resolver bounds it');
    const viaVariable = await cost('query($n: Int!) { repositoryPage(first: $n) { totalCount } }', {
      n: 400,
    });
    assert.equal(viaVariable - 1, 400 * ((await cost('{ repositoryPage(first: 1) { totalCount } }')) - 1));
  });

  it('weighs long text: a log costs what 100 kB of answer costs', async () => {
    const log = await cost('{ repository(id: 1) { events(limit: 10) { log } } }');
    const id = await cost('{ repository(id: 1) { events(limit: 10) { id } } }');
    assert.equal(log - id, 10 * (FIELD_WEIGHTS['RepositoryEvent.log']! - 1));
    assert.ok(FIELD_WEIGHTS['RepositoryEvent.log']! >= 1000);
  });

  it('follows fragments and inline fragments with their type', async () => {
    const direct = await cost('{ repository(id: 1) { events(limit: 5) { id log } } }');
    const viaFragment = await cost(
      'query { repository(id: 1) { events(limit: 5) { ...E } } } fragment E on RepositoryEvent { id ... on RepositoryEvent { log } }',
    );
    assert.equal(viaFragment, direct);
  });

  it("refuses an unknown operationName as the caller's mistake", async () => {
    await assert.rejects(
      cost('query A { me { id } }', {}, 'B'),
      (err: Error & { extensions?: { code?: string } }) => {
        assert.equal(err.extensions?.code, 'BAD_USER_INPUT');
        assert.match(err.message, /no operation named "B"/);
        return true;
      },
    );
  });

  it('lets the admin list of 10,000 repositories with every contract field (bench/api) run by default', async () => {
    // bench/src/api.ts QUERY; root lists are charged per item as they resolve (root-list-cost.ts)
    const query = `{ repositories { id name repoUser uid mode path url quotaBytes alertAfterDays isOpen lastAccessAt
      lastUpdatedAt usageBytes isStale pingUrl createdAt sshKeys { id name fingerprint } appendOnlySshKeys { id name }
      owner { id username } groups { id name } events(limit: 5) { id type message createdAt }
      statistics(limit: 5) { id usageBytes createdAt } } }`;
    const schema = await getSchema();
    const doc = parse(query);
    const op = doc.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const root = op.selectionSet.selections[0]!;
    assert.equal(root.kind, Kind.FIELD);
    const { item } = fieldCost(schema.getQueryType()!, root, { schema, fragments: {}, variables: {} });
    const total = operationCost(schema, doc, {}) + 9_999 * item;
    assert.ok(total <= MAX_COMPLEXITY, `${total}`);
  });
});
