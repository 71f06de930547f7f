# title: Claim status
# description: Derives each claim's status across all articles, in the default graph (the
#   merged knowledge graph): contested (someone denies it and someone confirms it), denied,
#   confirmed, asserted (some article states it as fact), otherwise reported (only relayed
#   from a report). Run by autokg after every load or removal, in the same transaction.
PREFIX ak: <https://w3id.org/autokg#>

DELETE WHERE { ?claim ak:status ?status } ;

INSERT { ?claim ak:status ?status }
WHERE {
  { SELECT DISTINCT ?claim WHERE { ?attribution ak:claim ?claim } }
  BIND(EXISTS { ?denial ak:denies ?claim } AS ?isDenied)
  BIND(EXISTS { ?confirmation ak:confirms ?claim } AS ?isConfirmed)
  BIND(EXISTS { ?direct ak:claim ?claim . FILTER NOT EXISTS { ?direct ak:viaReport ?report } } AS ?isAsserted)
  # Nested IFs rather than ?isDenied && ?isConfirmed: Virtuoso 7 cannot combine BIND booleans.
  BIND(IF(?isDenied, IF(?isConfirmed, ak:contested, ak:denied),
        IF(?isConfirmed, ak:confirmed,
         IF(?isAsserted, ak:asserted, ak:reported))) AS ?status)
}
