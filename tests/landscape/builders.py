"""A stand-in for the enrichment tables (families, members, country attribution, owners), in DuckDB SQL.

Used only while ``patscape.enrich.families`` / ``owners`` are not there: families are the source's family id, else
the publication alone; owners are the applicant names, upper-cased. Columns are the contract's
(``patscape.store.schema``).
"""

from __future__ import annotations

from typing import Any

_STATEMENTS = (
    """CREATE OR REPLACE TABLE family_members AS
       SELECT coalesce(family_id, 'x:' || pub_key) AS family_id, pub_key, country, published, kind,
              CAST(NULL AS TEXT) AS simple_family_id, CAST(NULL AS TEXT) AS extended_family_id
       FROM publications""",
    """CREATE OR REPLACE TABLE families AS
       WITH pri AS (
           SELECT m.family_id, min(pr.date) AS d, arg_min(pr.country, pr.date) AS office
           FROM priorities pr JOIN family_members m USING (pub_key) GROUP BY 1),
       agg AS (
           SELECT m.family_id, bool_or(p.family_id IS NOT NULL) AS docdb, min(p.published) AS ep,
                  min(p.app_date) AS first_app, arg_min(p.country, coalesce(p.app_date, p.published)) AS first_office,
                  bool_or(p.granted IS NOT NULL OR p.doc_type = 'grant') AS granted,
                  count(*) AS members, count(DISTINCT p.country) AS offices
           FROM family_members m JOIN publications p USING (pub_key) GROUP BY 1)
       SELECT a.family_id, CASE WHEN a.docdb THEN 'docdb' ELSE 'simple' END AS family_type,
              coalesce(pri.d, a.first_app) AS earliest_priority,
              CAST(year(coalesce(pri.d, a.first_app)) AS INTEGER) AS priority_year,
              a.ep AS earliest_publication, CAST(year(a.ep) AS INTEGER) AS publication_year,
              coalesce(pri.office, a.first_office) AS first_filing_office, a.granted,
              CAST(a.members AS INTEGER) AS member_count, CAST(a.offices AS INTEGER) AS office_count
       FROM agg a LEFT JOIN pri USING (family_id)""",
    """CREATE OR REPLACE TABLE family_countries AS
       WITH raw AS (
           SELECT family_id, 'member' AS basis, country FROM family_members
           UNION SELECT m.family_id, 'inventor', pa.country
               FROM parties pa JOIN family_members m USING (pub_key) WHERE pa.role = 'inventor'
           UNION SELECT m.family_id, 'applicant', pa.country
               FROM parties pa JOIN family_members m USING (pub_key) WHERE pa.role IN ('applicant', 'assignee')
           UNION SELECT family_id, 'office', first_filing_office FROM families),
       kept AS (SELECT DISTINCT * FROM raw WHERE country IS NOT NULL)
       SELECT family_id, basis, country, 1.0 / count(*) OVER (PARTITION BY family_id, basis) AS weight
       FROM kept""",
    """CREATE OR REPLACE TABLE family_owners AS
       WITH raw AS (
           SELECT DISTINCT m.family_id, upper(trim(pa.name)) AS group_id, pa.country
           FROM parties pa JOIN family_members m USING (pub_key)
           WHERE pa.role IN ('applicant', 'assignee') AND pa.name IS NOT NULL AND pa.party_kind IS DISTINCT FROM 'person'),
       one AS (SELECT family_id, group_id, min(country) AS country FROM raw GROUP BY 1, 2)
       SELECT family_id, group_id, group_id AS group_name, country,
              1.0 / count(*) OVER (PARTITION BY family_id) AS weight
       FROM one""",
)


def build_enrichment(con: Any) -> None:
    """(Re)build families, family_members, family_countries and family_owners from the base tables."""
    for sql in _STATEMENTS:
        con.execute(sql)
