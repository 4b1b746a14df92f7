package dev.pagi.tck.suite;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rule(s) of the conformance checklist a TCK test proves, with the rules' level. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PagiRule {
  /** How strongly the specification asks for a rule. */
  enum Level {
    /** The specification says MUST. */
    MUST,
    /** The specification says SHOULD. */
    SHOULD,
    /** The specification says MAY. */
    MAY,
    /**
     * The specification is silent (or the rule describes the reference server): the test pins this
     * adapter's documented behaviour, and a failure is not a conformance failure.
     */
    INFO
  }

  /**
   * @return the rule numbers from the checklist
   */
  int[] value();

  /**
   * @return the level; a failing MUST fails the run
   */
  Level level() default Level.MUST;
}
