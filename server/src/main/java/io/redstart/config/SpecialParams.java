package io.redstart.config;

import io.redstart.config.ConfigRewriter.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The value types of the directives with their own syntax, and their parsers, printers and
 * rewriters with Redis's error texts and quirks (config.c's special configs).
 */
public final class SpecialParams {
  private SpecialParams() {}

  /** One save point: save after {@code seconds} if at least {@code changes} writes happened. */
  public record SavePoint(long seconds, int changes) {}

  /**
   * One client class's output buffer limits: {@code hard} and {@code soft} bytes (C unsigned
   * values; 0 means no limit) and the seconds the soft limit may be exceeded.
   */
  public record BufferLimit(long hard, long soft, int softSeconds) {}

  /** The limits of the three client classes. */
  public record BufferLimits(BufferLimit normal, BufferLimit replica, BufferLimit pubsub) {}

  /** The replicaof directive: the master's host and port, or {@link #NONE}. */
  public record ReplicaOf(String host, int port) {
    public static final ReplicaOf NONE = new ReplicaOf(null, 0);

    public boolean isSet() {
      return host != null;
    }
  }

  private static final BufferLimits DEFAULT_LIMITS =
      new BufferLimits(
          new BufferLimit(0, 0, 0),
          new BufferLimit(256L * 1024 * 1024, 64L * 1024 * 1024, 60),
          new BufferLimit(32L * 1024 * 1024, 8L * 1024 * 1024, 60));

  private static final List<Integer> DEFAULT_OOM_VALUES = List.of(0, 200, 800);
  private static final List<String> DEFAULT_BIND = List.of("*", "-::*");

  /**
   * The working directory, always absolute and resolved as getcwd reports it. The JVM cannot chdir,
   * so the server resolves every relative file name against this path.
   */
  static final SpecialConfig DIR =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] args, Object current, boolean accumulate)
            throws ConfigException {
          if (args.length != 1) throw new ConfigException("wrong number of arguments");
          return changeDir(current == null ? null : (String) current, args[0]);
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          return List.of(new Line(name + " " + CText.repr((String) value), true));
        }
      };

  /** chdir then getcwd: the real path of {@code target}, or the reason chdir would give. */
  private static String changeDir(String current, String target) throws ConfigException {
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw new ConfigException("No such file or directory");
    }
    Path base = current == null ? Path.of("").toAbsolutePath() : Path.of(current);
    Path p = base.resolve(ConfigLoader.fileName(target));
    if (!Files.exists(p)) {
      for (Path a = p.getParent(); a != null; a = a.getParent()) {
        if (Files.exists(a) && !Files.isDirectory(a)) {
          throw new ConfigException("Not a directory");
        }
      }
      throw new ConfigException("No such file or directory");
    }
    if (!Files.isDirectory(p)) throw new ConfigException("Not a directory");
    if (!Files.isExecutable(p)) throw new ConfigException("Permission denied");
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize().toString();
    }
  }

  static final SpecialConfig SAVE =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] args, Object current, boolean accumulate)
            throws ConfigException {
          String[] w = args;
          // A single empty word is "no save points".
          if (w.length == 1 && w[0].isEmpty()) w = new String[0];
          if (w.length % 2 != 0) throw new ConfigException("Invalid save parameters");
          for (int j = 0; j < w.length; j++) {
            CText.Parsed n = CText.strtoll(w[j], 10);
            if (!n.complete() || (j % 2 == 0 && n.value() < 1) || (j % 2 == 1 && n.value() < 0)) {
              throw new ConfigException("Invalid save parameters");
            }
          }
          List<SavePoint> points = new ArrayList<>();
          if (accumulate && w.length > 0 && current instanceof List<?> l) {
            for (Object o : l) points.add((SavePoint) o);
          }
          for (int j = 0; j < w.length; j += 2) {
            long seconds = CText.strtoll(w[j], 10).value();
            int changes = (int) CText.strtoll(w[j + 1], 10).value();
            points.add(new SavePoint(seconds, changes));
          }
          return List.copyOf(points);
        }

        @Override
        public String format(Object value) {
          StringBuilder sb = new StringBuilder();
          for (Object o : (List<?>) value) {
            SavePoint p = (SavePoint) o;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(p.seconds()).append(' ').append(p.changes());
          }
          return sb.toString();
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          List<?> l = (List<?>) value;
          if (l.isEmpty()) return List.of(new Line(name + " \"\"", true));
          List<Line> out = new ArrayList<>();
          for (Object o : l) {
            SavePoint p = (SavePoint) o;
            out.add(new Line(name + " " + p.seconds() + " " + p.changes(), true));
          }
          return out;
        }
      };

  static final SpecialConfig CLIENT_OUTPUT_BUFFER_LIMIT =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] w, Object current, boolean accumulate)
            throws ConfigException {
          if (w.length % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
          }
          BufferLimits cur = current == null ? DEFAULT_LIMITS : (BufferLimits) current;
          BufferLimit normal = cur.normal();
          BufferLimit replica = cur.replica();
          BufferLimit pubsub = cur.pubsub();
          // Every class is checked before any is changed: all or nothing.
          for (int i = 0; i < w.length; i += 4) {
            int cls = classOf(w[i]);
            if (cls < 0) {
              throw new ConfigException(
                  "Invalid client class specified in buffer limit configuration.");
            }
            Long hard = CText.memtoull(w[i + 1]);
            Long soft = CText.memtoull(w[i + 2]);
            CText.Parsed secs = CText.strtoll(w[i + 3], 10);
            int seconds = (int) secs.value();
            if (hard == null || soft == null || seconds < 0 || !secs.complete()) {
              throw new ConfigException(
                  "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            BufferLimit l = new BufferLimit(hard, soft, seconds);
            switch (cls) {
              case 0 -> normal = l;
              case 1 -> replica = l;
              default -> pubsub = l;
            }
          }
          return new BufferLimits(normal, replica, pubsub);
        }

        /** 0 normal, 1 replica (slave), 2 pubsub, -1 anything else (master included). */
        private static int classOf(String name) {
          if (CText.equalsIgnoreCase(name, "normal")) return 0;
          if (CText.equalsIgnoreCase(name, "slave") || CText.equalsIgnoreCase(name, "replica")) {
            return 1;
          }
          if (CText.equalsIgnoreCase(name, "pubsub")) return 2;
          return -1;
        }

        @Override
        public String format(Object value) {
          BufferLimits v = (BufferLimits) value;
          return "normal "
              + fmt(v.normal())
              + " slave "
              + fmt(v.replica())
              + " pubsub "
              + fmt(v.pubsub());
        }

        private static String fmt(BufferLimit l) {
          return Long.toUnsignedString(l.hard())
              + " "
              + Long.toUnsignedString(l.soft())
              + " "
              + l.softSeconds();
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          BufferLimits v = (BufferLimits) value;
          return List.of(
              line(name, "normal", v.normal(), DEFAULT_LIMITS.normal()),
              line(name, "replica", v.replica(), DEFAULT_LIMITS.replica()),
              line(name, "pubsub", v.pubsub(), DEFAULT_LIMITS.pubsub()));
        }

        private static Line line(String name, String cls, BufferLimit l, BufferLimit dflt) {
          return new Line(
              name
                  + " "
                  + cls
                  + " "
                  + ConfigRewriter.formatMemory(l.hard())
                  + " "
                  + ConfigRewriter.formatMemory(l.soft())
                  + " "
                  + l.softSeconds(),
              !l.equals(dflt));
        }
      };

  static final SpecialConfig OOM_SCORE_ADJ_VALUES =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] w, Object current, boolean accumulate)
            throws ConfigException {
          if (w.length != 3) throw new ConfigException("wrong number of arguments");
          List<Integer> v = new ArrayList<>(3);
          for (String s : w) {
            CText.Parsed n = CText.strtoll(s, 10);
            if (!n.complete() || n.value() < -2000 || n.value() > 2000) {
              throw new ConfigException(
                  "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            v.add((int) n.value());
          }
          return List.copyOf(v);
        }

        @Override
        public String format(Object value) {
          List<?> v = (List<?>) value;
          return v.get(0) + " " + v.get(1) + " " + v.get(2);
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          return List.of(new Line(name + " " + format(value), !DEFAULT_OOM_VALUES.equals(value)));
        }

        @Override
        public boolean appliesUnchanged() {
          return false;
        }
      };

  static final SpecialConfig NOTIFY_KEYSPACE_EVENTS =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] args, Object current, boolean accumulate)
            throws ConfigException {
          if (args.length != 1) throw new ConfigException("wrong number of arguments");
          int flags = KeyspaceEventFlags.parse(args[0]);
          if (flags < 0) {
            throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
          }
          return flags;
        }

        @Override
        public String format(Object value) {
          return KeyspaceEventFlags.format((Integer) value);
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          return List.of(new Line(name + " " + CText.repr(format(value)), (Integer) value != 0));
        }
      };

  static final SpecialConfig BIND =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] w, Object current, boolean accumulate)
            throws ConfigException {
          if (w.length > 16) throw new ConfigException("Too many bind addresses specified.");
          if (w.length == 1 && w[0].isEmpty()) return List.of();
          return List.of(w);
        }

        @Override
        public String format(Object value) {
          return String.join(" ", castStrings(value));
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          List<String> addrs = castStrings(value);
          if (addrs.equals(DEFAULT_BIND)) return List.of();
          return List.of(new Line(name + " " + (addrs.isEmpty() ? "\"\"" : format(value)), true));
        }
      };

  static final SpecialConfig REPLICAOF =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] w, Object current, boolean accumulate)
            throws ConfigException {
          if (w.length != 2) throw new ConfigException("wrong number of arguments");
          if (CText.equalsIgnoreCase(w[0], "no") && CText.equalsIgnoreCase(w[1], "one")) {
            return ReplicaOf.NONE;
          }
          CText.Parsed n = CText.strtoll(w[1], 10);
          int port = (int) n.value();
          if (port < 0 || port > 65535 || !n.complete()) {
            throw new ConfigException("Invalid master port");
          }
          return new ReplicaOf(w[0], port);
        }

        @Override
        public String format(Object value) {
          ReplicaOf r = (ReplicaOf) value;
          return r.isSet() ? r.host() + " " + r.port() : "";
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          ReplicaOf r = (ReplicaOf) value;
          // The cluster check is done by the rewriter, which knows cluster-enabled.
          if (!r.isSet()) return List.of();
          return List.of(new Line(name + " " + r.host() + " " + r.port(), true));
        }
      };

  static final SpecialConfig LATENCY_PERCENTILES =
      new SpecialConfig() {
        @Override
        public Object parse(Config config, String[] w, Object current, boolean accumulate)
            throws ConfigException {
          if (w.length == 1 && w[0].isEmpty()) return List.of();
          List<Double> out = new ArrayList<>(w.length);
          for (String s : w) {
            Double d = CText.string2d(s);
            if (d == null) {
              throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d > 100.0 || d < 0.0) {
              throw new ConfigException(
                  "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(d);
          }
          return List.copyOf(out);
        }

        @Override
        public String format(Object value) {
          StringBuilder sb = new StringBuilder();
          for (Object o : (List<?>) value) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(CText.percentile((Double) o));
          }
          return sb.toString();
        }

        @Override
        public List<Line> rewrite(String name, Object value) {
          List<?> l = (List<?>) value;
          return List.of(new Line(name + " " + (l.isEmpty() ? "\"\"" : format(value)), true));
        }
      };

  @SuppressWarnings("unchecked")
  static List<String> castStrings(Object value) {
    return (List<String>) value;
  }
}
