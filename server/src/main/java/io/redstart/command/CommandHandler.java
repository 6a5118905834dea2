package io.redstart.command;

import io.redstart.server.Client;

/**
 * Runs one command. The dispatcher has already checked existence, arity, authentication, MULTI,
 * ACL, cluster routing, memory, read-only and loading state: a handler assumes a valid call,
 * parses its options, works through the type API and writes exactly one reply.
 */
@FunctionalInterface
public interface CommandHandler {
  void execute(Client c, byte[][] argv);
}
