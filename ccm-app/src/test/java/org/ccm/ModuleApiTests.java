package org.ccm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps each module's public types to what other modules use. Controllers, services and
 * records only a module itself needs stay package-private, so the list below is the whole
 * contract between modules; {@link ModularityTests} checks that no module reaches into
 * another's sub-packages.
 */
class ModuleApiTests {

	/**
	 * The public types of each module, by name relative to the module's package. A type
	 * belongs here only when another module (or the benchmarks) uses it, or when it
	 * appears in the signature of such a type.
	 */
	private static final Map<String, Set<String>> API = Map.of(
	// @formatter:off
		"core", Set.of("Channel", "ConsentChange", "ConsentRecord", "ConsentState", "ContactPoint", "ContactState",
				"CustomerDetails", "CustomerErased", "CustomerImports", "CustomerProfile", "CustomerStatus", "CustomerSummary",
				"Customers", "ImportFormat", "ImportJob", "Interaction", "InteractionType",
				"InvalidCustomerException", "InvalidSegmentException", "PostalAddress", "Purpose", "QuietHours",
				"Segment", "SegmentRule", "Segments", "Timeline", "TimelineEntry", "TimelinePage", "UnknownCustomerException",
				"UnknownSegmentException", "ConcurrentEditException", "SegmentMembers", "problems.FieldProblem", "problems.DatabaseOutage",
				"problems.ProblemException", "problems.ProblemType", "ContactPointCleared", "ContactPointState",
				"Topic", "TopicChoice", "Topics"),
		"templates", Set.of("Actor", "Block", "BlockKind", "ComposedDocument", "Composition", "Compositions", "DataViolation",
				"DraftRequest", "InvalidTemplateDataException", "NewTemplate", "TemplateAuthoring", "TemplateContent",
				"TemplateDefinition", "TemplateSummary", "TemplateVersion", "Templates", "UnknownTemplateException",
				"UnsupportedChannelException", "VersionState",
				// what the studio pages show and catch
				"ChannelPreview", "GovernanceException", "InvalidTemplateContentException", "Previews", "ProofSet",
				"ProofSets", "SmsEncoding", "TemplateNotFoundException", "VersionChange", "VersionTransition",
				// the offers of the studio pages
				"Offer", "OfferChange", "OfferState", "Offers"),
		"delivery", Set.of("Acceptance", "ArchivedDocument", "CommunicationStatus", "CommunicationView", "Communications", "DeadLetter",
				"DeadLetters", "DeliveryStatus", "DeliveryStatusChanged", "DeliveryView", "PortalDocument",
				"PortalInbox", "SendRequest", "StatusChange", "CommunicationOutcome", "spi.ChannelSender", "spi.MessageTracking", "spi.OutgoingMessage",
				"spi.PermanentDeliveryFailure", "spi.SentDocument", "spi.TrackedMessage", "spi.DeliveryFailure",
				"spi.FailureClass", "spi.ProviderAnswers"),
		"tracking", Set.of("Engagement", "EngagementCounts", "MachineTrafficRecorded", "PortalLinks", "PortalLinksRevoked",
				"StatusWebhook", "StatusWebhookMessage", "StatusWebhooks", "TemplateEngagement"),
		"campaigns", Set.of("Campaign", "CampaignPage", "CampaignProgress", "CampaignRequest", "CampaignResults",
				"CampaignState", "CampaignStateException", "Campaigns", "InvalidCampaignException", "RecipientStatus",
				"UnknownCampaignException"),
		// view models are public because the page templates read their accessors
		"admin", Set.of("CapturedMessages", "BlockDiff", "EditorForm", "OfferForm", "Placeholders", "ProofComparison", "SegmentRuleForm", "StaffMember"),
		"security", Set.of("ApiKeySummary", "ApiKeys", "ApiScope", "AuditLog", "InvalidApiKeyException"));
	// @formatter:on

	/**
	 * Public only so that the module's own sub-packages reach them; no other module may
	 * use them.
	 */
	private static final Set<String> MODULE_INTERNAL = Set.of("org.ccm.delivery.DeliveryProperties",
			"org.ccm.delivery.ProviderFailover");

	private static final ApplicationModules modules = ApplicationModules.of(CcmApplication.class);

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption((location) -> !location.contains("-tests.jar"))
		.importPackages("org.ccm");

	@Test
	void everyModuleListsItsApi() {
		assertThat(modules.stream().map((module) -> module.getIdentifier().toString()))
			.containsExactlyInAnyOrderElementsOf(API.keySet());
	}

	@Test
	void publicTypesAreExactlyTheListedApi() {
		List<String> problems = new ArrayList<>();
		for (ApplicationModule module : modules) {
			String id = module.getIdentifier().toString();
			String base = module.getBasePackage().getName();
			Set<String> listed = API.getOrDefault(id, Set.of());
			Set<String> actual = publicTypes(base);
			for (String type : actual) {
				if (!listed.contains(type) && !MODULE_INTERNAL.contains(base + "." + type)) {
					problems.add(base + "." + type + " is public but not part of the " + id + " module's API: "
							+ "make it package-private, or add it to ModuleApiTests.API if another module needs it");
				}
			}
			for (String type : listed) {
				if (!actual.contains(type)) {
					problems.add(base + "." + type + " is listed as the " + id + " module's API but is not a public "
							+ "type of the module: remove it from ModuleApiTests.API");
				}
			}
		}
		assertThat(problems).as("module APIs").isEmpty();
	}

	@Test
	void moduleInternalTypesAreNotUsedByOtherModules() {
		for (String type : MODULE_INTERNAL) {
			ApplicationModule owner = modules.getModuleByType(type).orElseThrow();
			noClasses().that()
				.resideOutsideOfPackage(owner.getBasePackage().getName() + "..")
				.should()
				.dependOnClassesThat()
				.haveFullyQualifiedName(type)
				.because(type + " is internal to the " + owner.getIdentifier() + " module")
				.check(classes);
		}
	}

	@Test
	void apiSignaturesOnlyUseTypesOtherModulesCanReach() {
		List<String> problems = new ArrayList<>();
		for (JavaClass type : classes) {
			if (!accessible(type) || modules.getModuleByType(type.getName()).isEmpty()) {
				continue;
			}
			for (JavaCodeUnit member : type.getCodeUnits()) {
				if (member.getModifiers().contains(JavaModifier.PUBLIC)
						&& !member.getModifiers().contains(JavaModifier.SYNTHETIC)) {
					Set<JavaClass> used = new java.util.HashSet<>(member.getReturnType().getAllInvolvedRawTypes());
					member.getParameterTypes().forEach((parameter) -> used.addAll(parameter.getAllInvolvedRawTypes()));
					unreachable(used).forEach((hidden) -> problems.add(member.getFullName() + " exposes " + hidden));
				}
			}
			for (JavaField field : type.getFields()) {
				if (field.getModifiers().contains(JavaModifier.PUBLIC)) {
					unreachable(Set.copyOf(field.getType().getAllInvolvedRawTypes()))
						.forEach((hidden) -> problems.add(field.getFullName() + " exposes " + hidden));
				}
			}
		}
		assertThat(problems)
			.as("public members of API types that other modules cannot call, because a type they use is not public")
			.isEmpty();
	}

	private Set<String> publicTypes(String basePackage) {
		return classes.stream()
			.filter((type) -> type.getPackageName().equals(basePackage)
					|| type.getPackageName().startsWith(basePackage + "."))
			.filter((type) -> type.isTopLevelClass() && type.getModifiers().contains(JavaModifier.PUBLIC))
			.map((type) -> type.getName().substring(basePackage.length() + 1))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static List<String> unreachable(Set<JavaClass> types) {
		return types.stream()
			.map(JavaClass::getBaseComponentType)
			.filter((used) -> used.getPackageName().startsWith("org.ccm") && !accessible(used))
			.map(JavaClass::getName)
			.distinct()
			.toList();
	}

	private static boolean accessible(JavaClass type) {
		if (!type.getModifiers().contains(JavaModifier.PUBLIC)) {
			return false;
		}
		return type.getEnclosingClass().map(ModuleApiTests::accessible).orElse(true);
	}

}
