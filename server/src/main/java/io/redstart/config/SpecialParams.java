package io.redstart.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsers and printers of the directives with their own syntax, with Redis's error texts. */
final class SpecialParams {
  private SpecialParams() {}

  /** One save point: save after {@code seconds} if at least {@code changes} writes happened. */
  public record SavePoint(long seconds, long changes) {}

  /** The three client-output-buffer-limit classes. */
  public record BufferLimit(long hard, long soft, long softSeconds) {}

  public record BufferLimits(BufferLimit normal, BufferLimit replica, BufferLimit pubsub) {}

  /**
   * The working directory. The JVM cannot chdir, so the server resolves every relative file
   * name against this absolute path.
   */
  static final SpecialConfig DIR =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          if (args.length != 1) throw new ConfigException("wrong number of arguments");
          Path base = current == null ? Path.of("").toAbsolutePath() : Path.of((String) current);
          Path p = base.resolve(args[0]).toAbsolutePath().normalize();
          if (!Files.isDirectory(p)) throw new ConfigException("No such file or directory");
          return p.toString();
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }
      };

  static final SpecialConfig SAVE =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> words = new ArrayList<>();
          for (String a : args) for (String w : ConfigParams.splitWords(a)) words.add(w);
          if (words.size() % 2 != 0) throw new ConfigException("Invalid save parameters");
          List<SavePoint> points = new ArrayList<>();
          // In a config file, save lines accumulate (the loader clears the default before the
          // first one); an empty "save" resets.
          if (fromFile && !words.isEmpty() && current instanceof List<?> l) {
            for (Object o : l) points.add((SavePoint) o);
          }
          for (int i = 0; i < words.size(); i += 2) {
            Long s = MemoryUnits.parseLong(words.get(i));
            Long c = MemoryUnits.parseLong(words.get(i + 1));
            if (s == null || c == null || s < 1 || c < 0) {
              throw new ConfigException("Invalid save parameters");
            }
            points.add(new SavePoint(s, c));
          }
          return List.copyOf(points);
        }

        @Override
        public String format(Object value) {
          StringBuilder sb = new StringBuilder();
          for (Object o : (List<?>) value) {
            SavePoint p = (SavePoint) o;
            if (sb.length() > 0) sb.append(' ');
            sb.append(p.seconds()).append(' ').append(p.changes());
          }
          return sb.toString();
        }

        @Override
        public String[] rewriteLines(Object value) {
          List<?> l = (List<?>) value;
          if (l.isEmpty()) return new String[] {"\"\""};
          String[] out = new String[l.size()];
          for (int i = 0; i < out.length; i++) {
            SavePoint p = (SavePoint) l.get(i);
            out[i] = p.seconds() + " " + p.changes();
          }
          return out;
        }
      };

  static final SpecialConfig CLIENT_OUTPUT_BUFFER_LIMIT =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> w = new ArrayList<>();
          for (String a : args) for (String s : ConfigParams.splitWords(a)) w.add(s);
          if (w.size() % 4 != 0) throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
          BufferLimits cur = (BufferLimits) current;
          BufferLimit normal = cur == null ? null : cur.normal();
          BufferLimit replica = cur == null ? null : cur.replica();
          BufferLimit pubsub = cur == null ? null : cur.pubsub();
          for (int i = 0; i < w.size(); i += 4) {
            String cls = w.get(i).toLowerCase(Locale.ROOT);
            Long hard = MemoryUnits.parse(w.get(i + 1));
            Long soft = MemoryUnits.parse(w.get(i + 2));
            Long secs = MemoryUnits.parseLong(w.get(i + 3));
            if (!cls.equals("normal") && !cls.equals("slave") && !cls.equals("replica") && !cls.equals("pubsub")) {
              throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
            if (hard == null || soft == null || secs == null || secs < 0) {
              throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            BufferLimit l = new BufferLimit(hard, soft, secs);
            switch (cls) {
              case "normal" -> normal = l;
              case "pubsub" -> pubsub = l;
              default -> replica = l;
            }
          }
          return new BufferLimits(normal, replica, pubsub);
        }

        @Override
        public String format(Object value) {
          BufferLimits v = (BufferLimits) value;
          return "normal " + fmt(v.normal()) + " slave " + fmt(v.replica()) + " pubsub " + fmt(v.pubsub());
        }

        private String fmt(BufferLimit l) {
          return l.hard() + " " + l.soft() + " " + l.softSeconds();
        }

        @Override
        public String[] rewriteLines(Object value) {
          BufferLimits v = (BufferLimits) value;
          return new String[] {
            "normal " + fmt(v.normal()), "replica " + fmt(v.replica()), "pubsub " + fmt(v.pubsub())
          };
        }
      };

  static final SpecialConfig OOM_SCORE_ADJ_VALUES =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> w = new ArrayList<>();
          for (String a : args) for (String s : ConfigParams.splitWords(a)) w.add(s);
          if (w.size() != 3) throw new ConfigException("wrong number of arguments");
          long[] v = new long[3];
          for (int i = 0; i < 3; i++) {
            Long n = MemoryUnits.parseLong(w.get(i));
            if (n == null || n < -2000 || n > 2000) {
              throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            v[i] = n;
          }
          return v[0] + " " + v[1] + " " + v[2];
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }
      };

  static final SpecialConfig NOTIFY_KEYSPACE_EVENTS =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          if (args.length != 1) throw new ConfigException("wrong number of arguments");
          int flags = KeyspaceEventFlags.parse(args[0]);
          if (flags < 0) throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
          return flags;
        }

        @Override
        public String format(Object value) {
          return KeyspaceEventFlags.format((Integer) value);
        }
      };

  static final SpecialConfig BIND =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> w = new ArrayList<>();
          for (String a : args) for (String s : ConfigParams.splitWords(a)) w.add(s);
          if (w.size() > 16) throw new ConfigException("Too many bind addresses specified.");
          return String.join(" ", w);
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }
      };

  static final SpecialConfig REPLICAOF =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> w = new ArrayList<>();
          for (String a : args) for (String s : ConfigParams.splitWords(a)) w.add(s);
          if (w.isEmpty()) return "";
          if (w.size() != 2) throw new ConfigException("wrong number of arguments");
          if (w.get(0).equalsIgnoreCase("no") && w.get(1).equalsIgnoreCase("one")) return "";
          Long port = MemoryUnits.parseLong(w.get(1));
          if (port == null || port < 0 || port > 65535) throw new ConfigException("Invalid master port");
          return w.get(0) + " " + port;
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }

        @Override
        public String[] rewriteLines(Object value) {
          return ((String) value).isEmpty() ? new String[0] : new String[] {(String) value};
        }
      };

  static final SpecialConfig LATENCY_PERCENTILES =
      new SpecialConfig() {
        @Override
        public Object parse(String[] args, Object current, boolean fromFile) throws ConfigException {
          List<String> w = new ArrayList<>();
          for (String a : args) for (String s : ConfigParams.splitWords(a)) w.add(s);
          List<String> out = new ArrayList<>();
          for (String s : w) {
            double d;
            try {
              d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
              throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d < 0 || d > 100) {
              throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(io.redstart.resp.CFormat.g(d, 17));
          }
          return String.join(" ", out);
        }

        @Override
        public String format(Object value) {
          return (String) value;
        }
      };
}
