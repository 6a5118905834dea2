package io.redstart.resp;

/**
 * Malformed or oversized input from a peer. {@link #getMessage()} is the exact text Redis replies
 * with (without the {@code -ERR } prefix), for example {@code Protocol error: invalid bulk length}.
 * After it the connection is closed once pending replies are written, as Redis does.
 */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
