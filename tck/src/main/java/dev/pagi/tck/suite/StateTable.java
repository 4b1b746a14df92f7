package dev.pagi.tck.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A state × event table as the state-matrix rule classes write it: a header line of event names,
 * then one line per state with one outcome per event ({@code ok}, {@code raise}, {@code noop}); a
 * trailing {@code *} marks a cell where the specification is silent and the table pins this
 * adapter's documented behaviour (level INFO).
 */
final class StateTable {
  private StateTable() {}

  /** What a send does in a state. */
  enum Outcome {
    /** The send completes and takes effect on the wire. */
    OK("is accepted"),
    /** The send fails with a {@code ProtocolException}; nothing reaches the wire. */
    RAISE("raises"),
    /** The send completes and nothing happens. */
    NOOP("is a silent no-op");

    private final String words;

    Outcome(String words) {
      this.words = words;
    }
  }

  /**
   * One cell: a state, an event tried there, and what must happen.
   *
   * @param state the state's probe name
   * @param event the event's probe name
   * @param expected the outcome
   * @param informational whether the specification is silent on this cell
   * @param name the readable name, e.g. {@code after sse.close: sse.send raises}
   */
  record Cell(String state, String event, Outcome expected, boolean informational, String name) {
    @Override
    public String toString() {
      return name;
    }

    boolean raises() {
      return expected == Outcome.RAISE;
    }

    boolean accepted() {
      return expected == Outcome.OK;
    }
  }

  /**
   * @param table the table text
   * @param states readable names by state probe name, e.g. {@code closed} → {@code after sse.close}
   * @param events readable names by event probe name, e.g. {@code send} → {@code sse.send}
   * @return every cell, row by row
   */
  static List<Cell> parse(String table, Map<String, String> states, Map<String, String> events) {
    List<Cell> cells = new ArrayList<>();
    String[] lines = table.strip().split("\n");
    String[] header = lines[0].trim().split("\\s+");
    for (int i = 1; i < lines.length; i++) {
      String[] row = lines[i].trim().split("\\s+");
      if (row.length != header.length) {
        throw new IllegalArgumentException("row '" + lines[i] + "' does not match the header");
      }
      String state = row[0];
      for (int j = 1; j < row.length; j++) {
        String event = header[j];
        boolean info = row[j].endsWith("*");
        Outcome outcome =
            Outcome.valueOf(row[j].replace("*", "").toUpperCase(java.util.Locale.ROOT));
        String name = name(states, state) + ": " + name(events, event) + " " + outcome.words;
        cells.add(new Cell(state, event, outcome, info, name));
      }
    }
    return cells;
  }

  private static String name(Map<String, String> names, String key) {
    String n = names.get(key);
    if (n == null) {
      throw new IllegalArgumentException("no readable name for '" + key + "'");
    }
    return n;
  }

  /**
   * @param cells a parsed table
   * @param state a state's probe name
   * @return the cells of that state the specification decides
   */
  static Stream<Cell> specified(List<Cell> cells, String state) {
    return select(cells, c -> c.state().equals(state) && !c.informational());
  }

  /**
   * @param cells a parsed table
   * @return the cells where the specification is silent
   */
  static Stream<Cell> informational(List<Cell> cells) {
    return select(cells, Cell::informational);
  }

  private static Stream<Cell> select(List<Cell> cells, Predicate<Cell> which) {
    return cells.stream().filter(which);
  }
}
