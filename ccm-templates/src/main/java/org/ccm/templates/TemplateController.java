package org.ccm.templates;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;
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

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates, their versions and review, and previews over REST. The acting user and their
 * roles come from the servlet request, which the application's security fills.
 */
@RestController
@Tag(name = "Templates", description = "Templates, their versions, review and preview")
@RequestMapping("/api/v1/templates")
class TemplateController {

	private final TemplateAuthoring authoring;

	private final Previews previews;

	private final JsonMapper json;

	TemplateController(TemplateAuthoring authoring, Previews previews, JsonMapper json) {
		this.authoring = authoring;
		this.previews = previews;
		this.json = json;
	}

	private VersionDocument document(TemplateVersion version) {
		return new VersionDocument(version.templateKey(), version.version(), version.state(), version.author(),
				version.content(), this.json.readTree(version.dataSchema()), version.sampleData(), version.createdAt(),
				version.updatedAt(), version.revision());
	}

	record TemplateListing(String key, String name, org.ccm.core.Purpose purpose, Set<Channel> channels, String layout,
			List<String> requiredClauses, @Nullable Integer publishedVersion, int latestVersion,
			@Nullable String topic) {
	}

	/**
	 * @param topic one of the platform's topics ({@code ccm.core.topics}), or null for
	 * none
	 */
	record TopicBody(@Nullable String topic) {
	}

	record VersionListing(int version, VersionState state, String author, java.time.Instant createdAt,
			java.time.Instant updatedAt) {
	}

	record TemplateView(TemplateDefinition template, List<VersionListing> versions) {
	}

	/**
	 * A version as the API shows it: the schema as JSON, not as text.
	 *
	 * @param revision raised by every change of the version; send it back with a change
	 * of the draft
	 */
	record VersionDocument(String templateKey, int version, VersionState state, String author, TemplateContent content,
			JsonNode dataSchema, Map<String, Object> sampleData, java.time.Instant createdAt,
			java.time.Instant updatedAt,
			@Schema(description = "Raised by every change of the version; send it back with a change of the draft",
					example = "2") long revision) {
	}

	record VersionView(VersionDocument version, List<VersionTransition> history) {
	}

	/**
	 * The content of a draft.
	 *
	 * @param revision when changing a draft, the {@code revision} of the version as read:
	 * when someone else changed the draft since, the change is refused with {@code 409}.
	 * Leave it out to change whatever revision is stored.
	 */
	record DraftBody(TemplateContent content, @Nullable JsonNode dataSchema, @Nullable Map<String, Object> sampleData,
			@Schema(description = "Optimistic locking. Send back the revision of the version document you edited: if someone else changed the draft since, the change is refused with 409 and nothing is written. Leave it out to change whatever revision is stored.",
					example = "2") @Nullable Long revision) {

		DraftRequest request() {
			return new DraftRequest(this.content,
					(this.dataSchema != null && !this.dataSchema.isNull()) ? this.dataSchema.toString() : null,
					this.sampleData, this.revision);
		}

	}

	record TransitionBody(@Nullable String comment) {
	}

	record PreviewBody(@Nullable Integer version, @Nullable String customer, @Nullable Map<String, Object> data,
			@Nullable List<Channel> channels, @Nullable String locale) {
	}

	record PreviewView(String template, @Nullable Integer version, List<ChannelPreview> previews) {
	}

	@Operation(operationId = "listTemplates", summary = "List templates")
	@GetMapping
	List<TemplateListing> list() {
		return this.authoring.templates().stream().map((template) -> {
			List<TemplateVersion> versions = this.authoring.versions(template.key());
			Integer published = versions.stream()
				.filter((version) -> version.state() == VersionState.PUBLISHED)
				.map(TemplateVersion::version)
				.findFirst()
				.orElse(null);
			int latest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
			return new TemplateListing(template.key(), template.name(), template.purpose(), template.channels(),
					template.layout(), template.requiredClauses(), published, latest, template.topic());
		}).toList();
	}

	@Operation(operationId = "createTemplate", summary = "Create a template",
			description = "Its first version is written as a draft afterwards.")
	@ApiResponse(responseCode = "201", description = "The template was created",
			content = @Content(schema = @Schema(implementation = TemplateDefinition.class)))
	@ApiResponse(responseCode = "409", description = "A template with this key exists")
	@ApiResponse(responseCode = "422", description = "The template cannot be accepted (unknown layout, no channel)")
	@PostMapping
	ResponseEntity<TemplateDefinition> create(@RequestBody NewTemplate template, @Nullable Principal principal,
			HttpServletRequest request) {
		TemplateDefinition created = this.authoring.create(template, actor(principal, request));
		return ResponseEntity.created(URI.create("/api/v1/templates/" + created.key())).body(created);
	}

	@Operation(operationId = "changeTemplateTopic", summary = "Name the topic of a marketing template",
			description = "The topic its messages are about (one of the platform's topics), or null for none. Customers who opted out of a topic that is not mandatory receive no marketing from templates that name it. Needs the brand role; applies to the published version at once.")
	@ApiResponse(responseCode = "200", description = "The template with its new topic",
			content = @Content(schema = @Schema(implementation = TemplateDefinition.class)))
	@ApiResponse(responseCode = "422", description = "An unknown topic, or a template that is not a marketing one")
	@PutMapping("/{key}/topic")
	TemplateDefinition changeTopic(@PathVariable String key, @RequestBody TopicBody body, @Nullable Principal principal,
			HttpServletRequest request) {
		return this.authoring.changeTopic(key, body.topic(), actor(principal, request));
	}

	@Operation(operationId = "getTemplate", summary = "Get a template and its versions")
	@GetMapping("/{key}")
	TemplateView get(@PathVariable String key) {
		return new TemplateView(this.authoring.template(key),
				this.authoring.versions(key)
					.stream()
					.map((version) -> new VersionListing(version.version(), version.state(), version.author(),
							version.createdAt(), version.updatedAt()))
					.toList());
	}

	@Operation(operationId = "getTemplateVersion", summary = "Get a template version and its review history")
	@GetMapping("/{key}/versions/{version}")
	VersionView version(@PathVariable String key, @PathVariable int version) {
		return new VersionView(document(this.authoring.version(key, version)), this.authoring.history(key, version));
	}

	@Operation(operationId = "createDraft", summary = "Write a new draft version")
	@ApiResponse(responseCode = "201", description = "The draft was written",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "A draft exists already")
	@ApiResponse(responseCode = "422", description = "The content breaks the template rules")
	@PostMapping("/{key}/versions")
	ResponseEntity<VersionDocument> createDraft(@PathVariable String key, @RequestBody DraftBody body,
			@Nullable Principal principal, HttpServletRequest request) {
		TemplateVersion draft = this.authoring.createDraft(key, body.request(), actor(principal, request));
		return ResponseEntity.created(URI.create("/api/v1/templates/" + key + "/versions/" + draft.version()))
			.body(document(draft));
	}

	@Operation(operationId = "updateDraft", summary = "Change a draft version")
	@ApiResponse(responseCode = "200", description = "The draft was changed",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "The version is no longer a draft")
	@ApiResponse(responseCode = "422", description = "The content breaks the template rules")
	@PutMapping("/{key}/versions/{version}")
	VersionDocument updateDraft(@PathVariable String key, @PathVariable int version, @RequestBody DraftBody body,
			@Nullable Principal principal, HttpServletRequest request) {
		return document(this.authoring.updateDraft(key, version, body.request(), actor(principal, request)));
	}

	@Operation(operationId = "discardDraft", summary = "Discard a draft version",
			description = "Only by its author, and only while it is a draft; other versions are retired instead.")
	@ApiResponse(responseCode = "204", description = "The draft was discarded")
	@ApiResponse(responseCode = "409", description = "The version is not a draft")
	@DeleteMapping("/{key}/versions/{version}")
	ResponseEntity<Void> discardDraft(@PathVariable String key, @PathVariable int version,
			@Nullable Principal principal, HttpServletRequest request) {
		this.authoring.discardDraft(key, version, actor(principal, request));
		return ResponseEntity.noContent().build();
	}

	@Operation(operationId = "submitVersion", summary = "Submit a draft for review")
	@ApiResponse(responseCode = "200", description = "The version is in review",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "The version is not in the state this step needs")
	@PostMapping("/{key}/versions/{version}/submit")
	VersionDocument submit(@PathVariable String key, @PathVariable int version,
			@RequestBody(required = false) @Nullable TransitionBody body, @Nullable Principal principal,
			HttpServletRequest request) {
		return document(this.authoring.submit(key, version, actor(principal, request), comment(body)));
	}

	@Operation(operationId = "approveVersion", summary = "Approve a version in review",
			description = "By someone other than its author.")
	@ApiResponse(responseCode = "200", description = "The version is approved",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "The version is not in the state this step needs")
	@PostMapping("/{key}/versions/{version}/approve")
	VersionDocument approve(@PathVariable String key, @PathVariable int version,
			@RequestBody(required = false) @Nullable TransitionBody body, @Nullable Principal principal,
			HttpServletRequest request) {
		return document(this.authoring.approve(key, version, actor(principal, request), comment(body)));
	}

	@Operation(operationId = "publishVersion", summary = "Publish an approved version",
			description = "It becomes the version sends use; the one published before is retired.")
	@ApiResponse(responseCode = "200", description = "The version is published",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "The version is not in the state this step needs")
	@PostMapping("/{key}/versions/{version}/publish")
	VersionDocument publish(@PathVariable String key, @PathVariable int version,
			@RequestBody(required = false) @Nullable TransitionBody body, @Nullable Principal principal,
			HttpServletRequest request) {
		return document(this.authoring.publish(key, version, actor(principal, request), comment(body)));
	}

	@Operation(operationId = "retireVersion", summary = "Retire a version")
	@ApiResponse(responseCode = "200", description = "The version is retired",
			content = @Content(schema = @Schema(implementation = VersionDocument.class)))
	@ApiResponse(responseCode = "409", description = "The version is not in the state this step needs")
	@PostMapping("/{key}/versions/{version}/retire")
	VersionDocument retire(@PathVariable String key, @PathVariable int version,
			@RequestBody(required = false) @Nullable TransitionBody body, @Nullable Principal principal,
			HttpServletRequest request) {
		return document(this.authoring.retire(key, version, actor(principal, request), comment(body)));
	}

	@Operation(operationId = "diffVersions", summary = "Compare two versions")
	@GetMapping("/{key}/diff")
	List<VersionChange> diff(@PathVariable String key, @RequestParam int from, @RequestParam int to) {
		return this.authoring.diff(key, from, to);
	}

	@Operation(operationId = "previewTemplate", summary = "Preview a template",
			description = "Rendered for a customer or sample data, per channel; changes nothing.")
	@ApiResponse(responseCode = "200", description = "The previews",
			content = @Content(schema = @Schema(implementation = PreviewView.class)))
	@ApiResponse(responseCode = "422", description = "The template has no version to preview")
	@PostMapping("/{key}/preview")
	PreviewView preview(@PathVariable String key, @RequestBody PreviewBody body) {
		Locale locale = (body.locale() != null) ? Locale.forLanguageTag(body.locale()) : null;
		return new PreviewView(key, body.version(),
				this.previews.preview(key, body.version(), body.customer(), body.data(), body.channels(), locale));
	}

	private static @Nullable String comment(@Nullable TransitionBody body) {
		return (body != null) ? body.comment() : null;
	}

	static Actor actor(@Nullable Principal principal, HttpServletRequest request) {
		String name = (principal != null) ? principal.getName() : "anonymous";
		Set<String> roles = new HashSet<>();
		if (request.isUserInRole(Actor.BRAND)) {
			roles.add(Actor.BRAND);
		}
		if (request.isUserInRole(Actor.APPROVER) || request.isUserInRole("ADMIN")) {
			roles.add(Actor.APPROVER);
			// templates:write keys write offers as well as approve them (four eyes by
			// name)
			roles.add(Actor.MARKETER);
		}
		if (request.isUserInRole(Actor.MARKETER)) {
			roles.add(Actor.MARKETER);
		}
		return new Actor(name, roles);
	}

}
