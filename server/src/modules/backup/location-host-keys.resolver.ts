import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { RepositoryLocation } from '../location/index.js';
import { fingerprintOf, keyText } from '../../security/host-keys.js';

/** contract §6: the storage node's host keys, which backup clients are given instead of trusting on first use. */
@Resolver(() => RepositoryLocation)
export class LocationHostKeysResolver {
  @FieldResolver(() => [String], { description: "the storage node's public host keys, as in a .pub file" })
  hostKeys(@Root() location: RepositoryLocation, @Ctx() ctx: Context): string[] {
    return ctx.services.backupRuns.hostKeysOf(location).map(keyText);
  }

  @FieldResolver(() => [String], { description: 'their SHA256 fingerprints, as ssh-keygen -lf prints them' })
  hostKeyFingerprints(@Root() location: RepositoryLocation, @Ctx() ctx: Context): string[] {
    return ctx.services.backupRuns.hostKeysOf(location).map(fingerprintOf);
  }
}
