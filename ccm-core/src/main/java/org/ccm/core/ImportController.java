package org.ccm.core;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Bulk import. {@code POST /api/v1/customers:import} takes the file as the request body
 * ({@code Content-Type: text/csv} or {@code application/x-ndjson}; or
 * {@code ?format=csv|jsonl}; {@code ?delimiter=;} to force the CSV separator), copies it
 * to disk as it arrives and answers {@code 202} with the job ({@code Location:
 * /api/v1/imports/{id}}) while it runs. {@code GET /api/v1/imports/{id}} shows status,
 * progress (0..1), processed, accepted and rejected counts; {@code GET
 * /api/v1/imports/{id}/rejected} downloads the rejected rows as CSV
 * ({@code row, externalId, reason, raw}).
 */
@RestController
@Tag(name = "Imports", description = "Bulk customer imports")
@RequestMapping("/api/v1")
class ImportController {

	private final CustomerImports imports;

	ImportController(CustomerImports imports) {
		this.imports = imports;
	}

	@Operation(operationId = "importCustomers", summary = "Import customers in bulk",
			description = "The file is the request body: CSV (text/csv) or JSON lines (application/x-ndjson), or say so with format=csv|jsonl; delimiter forces the CSV separator. The file is streamed to disk and imported while the job runs; poll the job at the Location answered.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = { @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
							@Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")) }))
	@ApiResponse(responseCode = "202", description = "The import was accepted and runs",
			content = @Content(schema = @Schema(implementation = ImportJob.class)))
	@PostMapping("/customers:import")
	ResponseEntity<Object> submit(InputStream body,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.CONTENT_TYPE,
					required = false) @Nullable String contentType,
			@RequestParam(required = false) @Nullable String format,
			@RequestParam(required = false) @Nullable String delimiter, @Nullable Principal principal)
			throws IOException {
		ImportFormat importFormat = format(format, contentType);
		if (importFormat == null) {
			return ProblemType.UNSUPPORTED_MEDIA_TYPE.answer("Send CSV (text/csv) or JSON lines (application/x-ndjson)",
					List.of(new FieldProblem("format", "must be csv or jsonl")));
		}
		if (delimiter != null && delimiter.length() != 1) {
			return ProblemType.VALIDATION.answer("The delimiter must be one character",
					List.of(new FieldProblem("delimiter", "must be one character, such as ; or ,")));
		}
		Path file = Files.createTempFile("ccm-import-", (importFormat == ImportFormat.CSV) ? ".csv" : ".jsonl");
		try {
			// streamed to disk: a large file never sits in memory
			Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
		ImportJob job = imports.submit(file, importFormat, (delimiter != null) ? delimiter.charAt(0) : null,
				CustomerController.actor(principal));
		return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + job.id())).body(job);
	}

	@Operation(operationId = "getImport", summary = "Get an import job",
			description = "Status, progress (0..1) and processed, accepted and rejected counts.")
	@ApiResponse(responseCode = "200", description = "The import job",
			content = @Content(schema = @Schema(implementation = ImportJob.class)))
	@GetMapping("/imports/{id}")
	ResponseEntity<Object> job(@PathVariable UUID id) {
		return imports.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> notFound(id));
	}

	@Operation(operationId = "rejectedImportRows", summary = "Download the rejected rows of an import",
			description = "As CSV: row, externalId, reason, raw.")
	@ApiResponse(responseCode = "200", description = "The rejected rows",
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	@GetMapping("/imports/{id}/rejected")
	ResponseEntity<StreamingResponseBody> rejected(@PathVariable UUID id) {
		if (imports.find(id).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No import with id " + id);
		}
		StreamingResponseBody body = (out) -> {
			Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			imports.writeRejected(id, writer);
			writer.flush();
		};
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + id + "-rejected.csv\"")
			.body(body);
	}

	private static ResponseEntity<Object> notFound(UUID id) {
		return ProblemType.NOT_FOUND.answer("No import with id " + id,
				List.of(new FieldProblem("id", "is not an import")));
	}

	private static @Nullable ImportFormat format(@Nullable String format, @Nullable String contentType) {
		String hint = (format != null) ? format : (contentType != null) ? contentType : "";
		hint = hint.toLowerCase(Locale.ROOT);
		if (hint.equals("csv") || hint.startsWith("text/csv") || hint.contains("comma-separated")) {
			return ImportFormat.CSV;
		}
		if (hint.equals("jsonl") || hint.equals("ndjson") || hint.contains("ndjson") || hint.contains("jsonl")
				|| hint.contains("json-lines")) {
			return ImportFormat.JSON_LINES;
		}
		return null;
	}

}
