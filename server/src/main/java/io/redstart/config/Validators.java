package io.redstart.config;

/**
 * The checks Redis runs on some values before accepting them (config.c's is_valid functions), each
 * returning Redis's reason, or null when the value is fine.
 */
final class Validators {
  private Validators() {}

  /** The longest host name Redis keeps, plus one (NET_HOST_STR_LEN). */
  private static final int NET_HOST_STR_LEN = 256;

  /** Like a Redis built without its own jemalloc: defragmentation cannot be enabled. */
  static String activeDefrag(Config config, Object value) {
    if ((Boolean) value) {
      return "Active defragmentation cannot be enabled: it requires a Redis server compiled with"
          + " a modified Jemalloc like the one shipped by default with the Redis source"
          + " distribution";
    }
    return null;
  }

  /** pathIsBaseName: neither '/' nor '\'. */
  private static boolean isBaseName(String s) {
    return s.indexOf('/') < 0 && s.indexOf('\\') < 0;
  }

  static String dbFilename(Config config, Object value) {
    return isBaseName((String) value) ? null : "dbfilename can't be a path, just a filename";
  }

  static String aofFilename(Config config, Object value) {
    String s = (String) value;
    if (s.isEmpty()) return "appendfilename can't be empty";
    return isBaseName(s) ? null : "appendfilename can't be a path, just a filename";
  }

  static String aofDirname(Config config, Object value) {
    String s = (String) value;
    if (s.isEmpty()) return "appenddirname can't be empty";
    return isBaseName(s) ? null : "appenddirname can't be a path, just a dirname";
  }

  static String announcedHostname(Config config, Object value) {
    String s = (String) value;
    if (s.length() >= NET_HOST_STR_LEN) {
      return "Hostnames must be less than " + NET_HOST_STR_LEN + " characters";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.';
      if (!ok) return "Hostnames may only contain alphanumeric characters, hyphens or dots";
    }
    return null;
  }

  /** SAVE and NOSAVE together are refused (bits 1 and 2 of the shutdown flags). */
  static String shutdownFlags(Config config, Object value) {
    int v = ((Number) value).intValue();
    if ((v & 1) != 0 && (v & 2) != 0) {
      return "shutdown options SAVE and NOSAVE can't be used simultaneously";
    }
    return null;
  }

  /**
   * The template must expand, with an empty title, to something that is not blank: every
   * {@code {name}} known, every brace closed ({@code {{} is a literal brace).
   */
  static String procTitleTemplate(Config config, Object value) {
    String expanded = expandProcTitle(config, (String) value, "");
    if (expanded == null || expanded.isEmpty()) {
      return "template format is invalid or contains unknown variables";
    }
    return null;
  }

  /**
   * sdstemplate with Redis's proc-title variables, trimmed of spaces; null when the template is
   * malformed or names an unknown variable.
   */
  static String expandProcTitle(Config config, String template, String title) {
    StringBuilder res = new StringBuilder();
    int p = 0;
    int n = template.length();
    while (p < n) {
      int sv = template.indexOf('{', p);
      if (sv < 0) {
        res.append(template, p, n);
        break;
      }
      res.append(template, p, sv);
      sv++;
      if (sv >= n) return null;
      if (template.charAt(sv) == '{') {
        res.append('{');
        p = sv + 1;
        continue;
      }
      int ev = template.indexOf('}', sv);
      if (ev < 0) return null;
      String v = procTitleVariable(config, template.substring(sv, ev), title);
      if (v == null) return null;
      res.append(v);
      p = ev + 1;
    }
    int start = 0;
    int end = res.length();
    while (start < end && res.charAt(start) == ' ') start++;
    while (end > start && res.charAt(end - 1) == ' ') end--;
    return res.substring(start, end);
  }

  private static String procTitleVariable(Config config, String name, String title) {
    long port = config.getLong(ConfigParams.PORT);
    long tlsPort = config.getLong(ConfigParams.TLS_PORT);
    String unixsocket = config.getString(ConfigParams.UNIXSOCKET);
    return switch (name) {
      case "title" -> title;
      case "listen-addr" -> {
        if (port != 0 || tlsPort != 0) {
          var bind = config.bindAddresses();
          yield (bind.isEmpty() ? "*" : bind.get(0)) + ":" + (port != 0 ? port : tlsPort);
        }
        yield "unixsocket:" + (unixsocket.isEmpty() ? "(null)" : unixsocket);
      }
      case "server-mode" -> config.getBool(ConfigParams.CLUSTER_ENABLED) ? "[cluster]" : "";
      case "config-file" -> config.configFile() == null ? "-" : config.configFile();
      case "port" -> Long.toString(port);
      case "tls-port" -> Long.toString(tlsPort);
      case "unixsocket" -> unixsocket;
      default -> null;
    };
  }
}
