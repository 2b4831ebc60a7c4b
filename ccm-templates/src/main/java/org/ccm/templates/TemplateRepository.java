package org.ccm.templates;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/**
 * Templates by key.
 */
interface TemplateRepository extends JpaRepository<TemplateEntity, String> {

	List<TemplateEntity> findAllByOrderByKey();

	/**
	 * The topics that templates with a published version name, in one query.
	 */
	@Query("""
			select distinct t.topic from TemplateEntity t where t.topic is not null and exists (
			  select v from TemplateVersionEntity v
			  where v.templateKey = t.key and v.state = org.ccm.templates.VersionState.PUBLISHED)""")
	List<String> publishedTopics();

	/**
	 * The template, locked until the transaction ends: serialises what must not happen
	 * twice at once for one template (numbering drafts, publishing).
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from TemplateEntity t where t.key = ?1")
	Optional<TemplateEntity> lock(String key);

}
