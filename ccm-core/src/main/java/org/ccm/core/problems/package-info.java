/**
 * The error answers every REST API of the platform shares: the RFC 9457 problem types
 * ({@link org.ccm.core.problems.ProblemType}), field problems, and the fallback that
 * answers malformed requests, validation failures, unknown paths and unexpected errors.
 * Each module maps its own exceptions with an advice scoped to its own controllers and
 * builds the answer through {@link org.ccm.core.problems.ProblemType}; the types are
 * documented in {@code docs/api-errors.md}.
 */
@NamedInterface("problems")
@NullMarked
package org.ccm.core.problems;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
