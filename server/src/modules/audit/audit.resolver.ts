import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { AuditEntry } from './audit-entry.entity.js';

@ObjectType('AuditLogEntry', { simpleResolvers: true, description: 'A change or a sign-in, as recorded' })
export class AuditLogEntry {
  @Field(() => ID)
  id!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'the user who acted, for signIn the account signed in to (kept after the user is deleted)',
  })
  actorId!: number | null;

  @Field(() => String, { nullable: true })
  actorName!: string | null;

  @Field(() => String, { nullable: true, description: 'session or token' })
  via!: string | null;

  @Field({ description: 'client address' })
  address!: string;

  @Field({ description: 'the mutation, signIn, or sshLoginRefused (a key lookup the hive refused)' })
  operation!: string;

  @Field(() => String, { nullable: true, description: 'the id or name the operation was about' })
  target!: string | null;

  @Field({
    description:
      'OK, the error code the caller got, for signIn FAILED, OTP_REQUIRED, LOCKED, for sshLoginRefused OVER_QUOTA',
  })
  outcome!: string;

  @Field(() => String, {
    nullable: true,
    description: 'the arguments as JSON, secrets replaced by [redacted]',
  })
  details!: string | null;
}

@InputType()
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: 'admins: whose entries (user name)' })
  actorName?: string | null;

  @Field(() => String, { nullable: true })
  operation?: string | null;

  @Field(() => String, { nullable: true })
  outcome?: string | null;

  @Field(() => Date, { nullable: true })
  since?: Date | null;

  @Field(() => Date, { nullable: true })
  until?: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class AuditLogPage {
  @Field(() => [AuditLogEntry])
  entries!: AuditLogEntry[];

  @Field(() => ID, {
    nullable: true,
    description: 'pass as `after` for the next (older) page; null at the end',
  })
  nextCursor!: string | null;
}

const MAX_PAGE = 500;

@Resolver()
export class AuditResolver {
  @Query(() => AuditLogPage, {
    description: 'The audit trail, newest first: an admin sees everyone, anyone else their own entries',
  })
  async auditLog(
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => ID, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<AuditLogPage> {
    const auth = requireAuth(ctx);
    if (first < 1 || first > MAX_PAGE) {
      throw BadUserInputError.fromProblems([{ field: 'first', message: `1 to ${MAX_PAGE}` }]);
    }
    const rows: AuditEntry[] = await ctx.services.audit.list(
      ctx.em,
      {
        ...(filter ?? {}),
        actorId: auth.isAdmin ? null : auth.userId,
        beforeId: after == null ? null : parseId(after, 'audit cursor'),
      },
      first + 1,
    );
    const page = rows.slice(0, first);
    return Object.assign(new AuditLogPage(), {
      entries: page.map((r) => Object.assign(new AuditLogEntry(), r)),
      nextCursor: rows.length > first ? String(page[page.length - 1]!.id) : null,
    });
  }
}
