package org.ccm.core;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import tools.jackson.databind.json.JsonMapper;

/**
 * Segments: {@code PUT /api/v1/segments/{key}} with {@code {"name": ..., "rule": {...}}}
 * (see {@link SegmentRule} for the rule language) creates ({@code 201}) or replaces
 * ({@code 200}) one; {@code POST /api/v1/segments} with {@code {"key", "name", "rule"}}
 * creates one ({@code 409} when the key is taken). {@code GET .../{key}/count} answers
 * {@code {"count": n}}, {@code GET .../{key}/preview?limit=20} the first members,
 * {@code GET .../{key}/members} every member as JSON lines, streamed.
 * {@code POST /api/v1/segments:count} counts an unsaved rule. A segment carries a
 * {@code version}; a replacement that sends the version it was based on is refused with
 * {@code 409} when someone else changed the segment since.
 */
@RestController
@Tag(name = "Segments", description = "Segments: rules over profile, attributes, transactions and engagement")
@RequestMapping("/api/v1")
class SegmentController {

	private final Segments segments;

	private final JsonMapper json;

	SegmentController(Segments segments, JsonMapper json) {
		this.segments = segments;
		this.json = json;
	}

	@Operation(operationId = "listSegments", summary = "List segments")
	@GetMapping("/segments")
	List<Segment> all() {
		return segments.all();
	}

	@Operation(operationId = "createSegment", summary = "Create a segment",
			description = "With {key, name, rule}; PUT replaces one.")
	@ApiResponse(responseCode = "201", description = "The segment was created",
			content = @Content(schema = @Schema(implementation = Segment.class)))
	@ApiResponse(responseCode = "409", description = "A segment with this key exists")
	@PostMapping("/segments")
	ResponseEntity<Object> create(@RequestBody SegmentRequest request) {
		if (request.key() == null) {
			throw new InvalidSegmentException(Map.of("key", "is required"));
		}
		if (segments.find(request.key()).isPresent()) {
			return ProblemType.CONFLICT.answer("A segment with this key exists; PUT replaces it",
					List.of(new FieldProblem("key", "is taken")));
		}
		return save(request.key(), request);
	}

	@Operation(operationId = "saveSegment", summary = "Create or replace a segment")
	@ApiResponse(responseCode = "201", description = "The segment was created",
			content = @Content(schema = @Schema(implementation = Segment.class)))
	@ApiResponse(responseCode = "200", description = "The segment was replaced",
			content = @Content(schema = @Schema(implementation = Segment.class)))
	@PutMapping("/segments/{key}")
	ResponseEntity<Object> save(@PathVariable String key, @RequestBody SegmentRequest request) {
		if (request.key() != null && !request.key().equals(key)) {
			throw new InvalidSegmentException(Map.of("key", "differs from the key in the path"));
		}
		if (request.rule() == null) {
			throw new InvalidSegmentException(Map.of("rule", "is required"));
		}
		boolean created = segments.save(key, (request.name() != null) ? request.name() : "", request.rule(),
				request.version());
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(segment(key));
	}

	@Operation(operationId = "getSegment", summary = "Get a segment")
	@GetMapping("/segments/{key}")
	Segment get(@PathVariable String key) {
		return segment(key);
	}

	@Operation(operationId = "deleteSegment", summary = "Delete a segment")
	@ApiResponse(responseCode = "204", description = "The segment was deleted")
	@DeleteMapping("/segments/{key}")
	ResponseEntity<Void> delete(@PathVariable String key) {
		if (!segments.delete(key)) {
			throw new UnknownSegmentException(key);
		}
		return ResponseEntity.noContent().build();
	}

	@Operation(operationId = "countSegment", summary = "Count a segment's members")
	@GetMapping("/segments/{key}/count")
	Map<String, Long> count(@PathVariable String key) {
		return Map.of("count", segments.count(segment(key).rule()));
	}

	@Operation(operationId = "countRule", summary = "Count the customers an unsaved rule selects")
	@PostMapping("/segments:count")
	Map<String, Long> countRule(@RequestBody SegmentRule rule) {
		return Map.of("count", segments.count(rule));
	}

	@Operation(operationId = "previewSegment", summary = "Preview a segment's first members")
	@GetMapping("/segments/{key}/preview")
	List<CustomerSummary> preview(@PathVariable String key, @RequestParam(defaultValue = "20") int limit) {
		return segments.preview(segment(key).rule(), limit);
	}

	@Operation(operationId = "segmentMembers", summary = "Stream every member of a segment",
			description = "As JSON lines, one customer summary a line.")
	@GetMapping(path = "/segments/{key}/members", produces = "application/x-ndjson")
	ResponseEntity<StreamingResponseBody> members(@PathVariable String key) {
		SegmentRule rule = segment(key).rule();
		StreamingResponseBody body = (out) -> {
			BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
			try {
				segments.forEachMember(rule, (member) -> {
					try {
						writer.write(json.writeValueAsString(member));
						writer.write('\n');
					}
					catch (java.io.IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
			}
			finally {
				writer.flush();
			}
		};
		return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(body);
	}

	private Segment segment(String key) {
		return segments.find(key).orElseThrow(() -> new UnknownSegmentException(key));
	}

	/**
	 * A segment to save.
	 *
	 * @param version the version of the segment the change is based on, as read from it:
	 * when someone else changed the segment since, the change is refused with
	 * {@code 409}. Leave it out to create a segment, or to replace one whatever its
	 * version.
	 */
	record SegmentRequest(@Nullable String key, @Nullable String name, @Nullable SegmentRule rule, @Schema(
			description = "Optimistic locking. Send back the version you read to change only that version: if someone else changed it since, the change is refused with 409 and nothing is written. Leave it out to create, or to replace whatever is stored.",
			example = "3") @Nullable Long version) {
	}

}
