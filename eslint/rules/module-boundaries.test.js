// @ts-check
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { moduleBoundaries } from './module-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const at = (/** @type {string} */ path) => join(process.cwd(), path);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const alert = at('server/src/modules/alert/alert.service.ts');

tester.run('module-boundaries', moduleBoundaries, {
  valid: [
    { filename: alert, code: "import { Repository } from '../repository/index.js';" },
    { filename: alert, code: "import { type AlertMessage } from '../notification/index.js';" },
    { filename: alert, code: "import { startCaptureServer } from '../notification/testing.js';" },
    { filename: alert, code: "import { nextDelay } from './delivery-backoff.js';" },
    { filename: alert, code: "import { startAlertHive } from './testing/alert-hive.js';" },
    { filename: alert, code: "import type { Em } from '../../db/orm.js';" },
    { filename: at('server/src/app.ts'), code: "import { User } from './modules/user/index.js';" },
    {
      filename: at('e2e/src/console.test.ts'),
      code: "import { startTestHive } from '@borg-hive/server/testing';",
    },
    { filename: at('e2e/src/console.test.ts'), code: "import { kit } from './support/kit.js';" },
    { filename: at('bench/src/api.ts'), code: "const t = await import('@borg-hive/server/testing');" },
  ],
  invalid: [
    {
      filename: alert,
      code: "import { Repository } from '../repository/repository.entity.js';",
      errors: [
        {
          messageId: 'inner',
          data: {
            spec: '../repository/repository.entity.js',
            module: 'repository',
            face: '../repository/index.js',
          },
        },
      ],
    },
    {
      filename: alert,
      code: "import type { AlertMessage } from '../notification/channels/channel-driver.js';",
      errors: [{ messageId: 'inner' }],
    },
    {
      filename: alert,
      code: "export { RepositoryEventType } from '../repository/repository-event-type.js';",
      errors: [{ messageId: 'inner' }],
    },
    {
      filename: at('server/src/modules/ping/ping.service.ts'),
      code: "const m = await import('../alert/alert.service.js');",
      errors: [{ messageId: 'inner' }],
    },
    {
      filename: at('server/src/app.ts'),
      code: "import { User } from './modules/user/user.entity.js';",
      errors: [
        {
          messageId: 'inner',
          data: { spec: './modules/user/user.entity.js', module: 'user', face: './modules/user/index.js' },
        },
      ],
    },
    {
      filename: at('e2e/src/console.test.ts'),
      code: "import { startTestHive } from '../../server/dist/test-support/hive.js';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('bench/src/events-hive.ts'),
      code: "const { InProcessSink } = await import('../../server/dist/modules/monitor/in-process-sink.js');",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('bench/src/api.ts'),
      code: "import { hashPassword } from '../../server/src/security/secrets.js';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('e2e/src/console.test.ts'),
      code: "import { getSchema } from '@borg-hive/server/dist/graphql/schema.js';",
      errors: [{ messageId: 'deep' }],
    },
  ],
});
