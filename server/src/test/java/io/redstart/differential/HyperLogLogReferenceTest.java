package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.Bytes;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HyperLogLog values written by Redstart are the reference's byte for byte, for random inputs in
 * sparse and dense form and at several hll-sparse-max-bytes, and so are the estimates (one key,
 * cached; several keys, merged) and the values PFMERGE writes.
 */
@ExtendWith(ServerPairExtension.class)
class HyperLogLogReferenceTest {
  private static final String[] KEYS = {"h0", "h1", "h2", "h3"};

  /** Sends the same command to both servers and checks the replies are the same bytes. */
  private static void same(ServerPair.Connections c, List<String> failures, String... argv)
      throws IOException {
    byte[] ref = c.reference().call(argv);
    byte[] got = c.redstart().call(argv);
    if (!Bytes.latin1(ref).equals(Bytes.latin1(got))) {
      String command = String.join(" ", argv);
      if (command.length() > 120) command = command.substring(0, 120) + "...";
      failures.add(command + "\n  reference: " + Bytes.printable(ref) + "\n  redstart:  "
          + Bytes.printable(got));
    }
  }

  private static String element(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> Integer.toString(random.nextInt(100_000));
      case 1 -> Long.toString(random.nextLong());
      case 2 -> Double.toString(random.nextDouble());
      default -> {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(0, 12);
        for (int i = 0; i < n; i++) sb.append((char) random.nextInt(256));
        yield sb.toString();
      }
    };
  }

  @Test
  void valuesAndEstimatesAreTheReferences(ServerPair pair) throws IOException {
    long seed = Long.getLong("redstart.diff.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    List<String> failures = new ArrayList<>();
    try (ServerPair.Connections c = pair.connect()) {
      for (String max : new String[] {"3000", "0", "64", "400", "12000"}) {
        same(c, failures, "CONFIG", "SET", "hll-sparse-max-bytes", max);
        same(c, failures, "DEL", KEYS[0], KEYS[1], KEYS[2], KEYS[3]);
        for (int round = 0; round < 60; round++) {
          String key = KEYS[random.nextInt(KEYS.length)];
          int n =
              switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0, 3);
                case 1, 2 -> random.nextInt(1, 60);
                case 3 -> random.nextInt(60, 600);
                default -> random.nextInt(600, 4000);
              };
          List<String> argv = new ArrayList<>(List.of("PFADD", key));
          for (int i = 0; i < n; i++) argv.add(element(random));
          same(c, failures, argv.toArray(new String[0]));
          same(c, failures, "GET", key);
          if (random.nextInt(3) == 0) {
            same(c, failures, "PFCOUNT", key);
            same(c, failures, "GET", key);
          }
          if (random.nextInt(4) == 0) {
            same(c, failures, "PFCOUNT", KEYS[random.nextInt(4)], KEYS[random.nextInt(4)], key);
          }
          if (random.nextInt(5) == 0) {
            String dest = KEYS[random.nextInt(KEYS.length)];
            same(c, failures, "PFMERGE", dest, KEYS[random.nextInt(4)], key);
            same(c, failures, "GET", dest);
            same(c, failures, "PFCOUNT", dest);
          }
          if (random.nextInt(8) == 0) {
            same(c, failures, "PFDEBUG", "ENCODING", key);
            same(c, failures, "PFDEBUG", "DECODE", key);
          }
          if (failures.size() > 5) break;
        }
      }
      same(c, failures, "CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }
    assertThat(failures).as("seed %d (replay with -Dredstart.diff.seed=%d)", seed, seed).isEmpty();
  }

  /** Estimates for cardinalities up to 200 000, every few thousand elements. */
  @Test
  void estimatesAlongAGrowingSet(ServerPair pair) throws IOException {
    List<String> failures = new ArrayList<>();
    try (ServerPair.Connections c = pair.connect()) {
      same(c, failures, "DEL", "grow");
      for (int from = 0; from < 200_000; from += 2500) {
        List<String> argv = new ArrayList<>(List.of("PFADD", "grow"));
        for (int i = from; i < from + 2500; i++) argv.add("m" + i);
        same(c, failures, argv.toArray(new String[0]));
        same(c, failures, "PFCOUNT", "grow");
      }
      same(c, failures, "GET", "grow");
    }
    assertThat(failures).isEmpty();
  }
}
