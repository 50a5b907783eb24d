# The lab's command line without building a lab (no root needed): the shipped example fabrics
# are valid, and bad input is refused before anything is made, naming the flag or file.
source "$(dirname "$0")/lib.sh"
data="$(dirname "$0")/../data"
examples="$(dirname "$0")/../../examples/lab"
prefix="i$(($$ % 100000))"

for size in 8x2 16x2; do
  "$LIGHTPATH" topo fabric "$examples/fabric-$size.json" --config "$examples/mesh-$size.json" >"$work/f.txt"
  grep -q "block graph connected, diameter 2" "$work/f.txt" || { cat "$work/f.txt"; fail "mesh-$size is not a diameter-2 mesh"; }
done

up() { "$LIGHTPATH" lab up --prefix "$prefix" --fabric "$1" --config "$2" "${@:3}"; }
expect_exit 2 "--prefix: 'Bad'" "$LIGHTPATH" lab up --prefix Bad --fabric "$data/fabric-4.json" --config "$data/ring-4.json"
expect_exit 2 "--scale: '3' is not a fraction" up "$data/fabric-4.json" "$data/ring-4.json" --scale 3
expect_exit 2 "--slots: 0" up "$data/fabric-4.json" "$data/ring-4.json" --slots 0
sed 's/"transit": "block"/"transit": "spine"/' "$data/fabric-4.json" >"$work/spine.json"
expect_exit 2 "spine.json: the lab builds fabrics whose transit is \"block\"" up "$work/spine.json" "$data/ring-4.json"
sed 's/"h3"/"h\/3"/' "$data/fabric-4.json" >"$work/slash.json"
expect_exit 2 "blocks\[1\].hosts\[1\]: 'h/3' cannot name" up "$work/slash.json" "$data/ring-4.json"
nolab="no lab with prefix '$prefix' is up"
expect_exit 1 "$nolab" "$LIGHTPATH" lab run --prefix "$prefix" -- true
expect_exit 1 "$nolab" "$LIGHTPATH" lab exec --prefix "$prefix" h0 true
expect_exit 1 "$nolab" "$LIGHTPATH" lab hops --prefix "$prefix"
expect_exit 1 "$nolab" "$LIGHTPATH" lab apply --prefix "$prefix" --proposal "$work/none.json"
expect_exit 2 "--interval" "$LIGHTPATH" lab hops --prefix "$prefix" --interval 5parsecs
expect_exit 0 "nothing to remove" "$LIGHTPATH" lab down --prefix "$prefix"
