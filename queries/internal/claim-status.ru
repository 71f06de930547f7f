# title: Claim status
# description: Derives each claim's status across all articles, in the default graph (the
#   merged knowledge graph): contested (someone denies it and someone confirms it), denied,
#   confirmed (someone confirms it, or an official record states it), asserted (some article states it as fact), otherwise reported (only relayed
#   from a report). Run by autokg after every load or removal, in the same transaction.
PREFIX ak: <https://w3id.org/autokg#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

DELETE WHERE { ?claim ak:status ?status } ;

INSERT { ?claim ak:status ?status }
WHERE {
  { SELECT DISTINCT ?claim WHERE { ?attribution ak:claim ?claim } }
  BIND(EXISTS { ?denial ak:denies ?claim } AS ?isDenied)
  # An official record confirms what it states (a claim stated in a document that reproduces
  # one), and the claims of the same kind about the same measure (an article's tariff
  # imposition and the proclamation's adoption of that tariff).
  BIND(EXISTS { ?confirmation ak:confirms ?claim }
       || EXISTS { ?official ak:claim ?claim ; ak:statedIn/ak:sourceRecord ?record }
       || EXISTS { ?claim ak:policy ?measure .
                   ?recorded ak:policy ?measure .
                   ?officialRecorded ak:claim ?recorded ; ak:statedIn ?recordArticle .
                   ?recordArticle ak:sourceRecord ?someRecord .
                   ?claim a ?kind .
                   ?recorded a ?recordKind .
                   ?kind rdfs:subClassOf* ?recordKind }
       AS ?isConfirmed)
  BIND(EXISTS { ?direct ak:claim ?claim . FILTER NOT EXISTS { ?direct ak:viaReport ?report } } AS ?isAsserted)
  # Nested IFs rather than ?isDenied && ?isConfirmed: Virtuoso 7 cannot combine BIND booleans.
  BIND(IF(?isDenied, IF(?isConfirmed, ak:contested, ak:denied),
        IF(?isConfirmed, ak:confirmed,
         IF(?isAsserted, ak:asserted, ak:reported))) AS ?status)
}
