# tools/vouchsim.bash - bash completion for vouchsim, installed as
# $(datadir)/bash-completion/completions/vouchsim (bash-completion loads it
# on first use); or source it from ~/.bashrc.
#
# Commands, the options of each command (read from `vouchsim COMMAND
# --help`, so they cannot drift from the program), chart names, formats,
# designs, and scenario files: *.yaml here and the shipped scenarios by name
# (from the directory `vouchsim --version` names). Needs no bash-completion
# helpers.

_vouchsim_scenarios()
{
    local cur=$1 dir f
    COMPREPLY+=( $(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur") )
    COMPREPLY+=( $(compgen -d -- "$cur") )
    dir=$("$2" --version 2>/dev/null | sed -n 's/^scenarios by name.* then in //p')
    if [[ $cur != */* && -n $dir && -d $dir ]]; then
        for f in "$dir"/*.yaml; do
            [[ -e $f ]] || continue
            f=${f##*/}
            f=${f%.yaml}
            [[ $f == "$cur"* ]] && COMPREPLY+=( "$f" )
        done
    fi
}

_vouchsim()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local vs=${COMP_WORDS[0]} cmd= i
    COMPREPLY=()
    command -v "$vs" >/dev/null 2>&1 || vs=vouchsim
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} != -* ]]; then cmd=${COMP_WORDS[i]}; break; fi
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=( $(compgen -W "run validate compare sweep optimize summary plot export
                                 bench schema --help --version -h -V" -- "$cur") )
        return 0
    fi
    case $prev in
        --chart) if [[ $cmd == optimize ]]; then
                     compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )
                 else
                     COMPREPLY=( $(compgen -W "utilization budget spend demand wait response sobol
                                         difference utilization-difference all" -- "$cur") )
                 fi; return 0 ;;
        --arm) COMPREPLY=( $(compgen -W "base policy counterfactual vouchers" -- "$cur") ); return 0 ;;
        --region) COMPREPLY=( $(compgen -W "east west" -- "$cur") ); return 0 ;;
        --datacenter|--city|--program|--outcome|--key) return 0 ;;
        --format) COMPREPLY=( $(compgen -W "table csv json" -- "$cur") ); return 0 ;;
        --design) COMPREPLY=( $(compgen -W "grid lhs sobol" -- "$cur") ); return 0 ;;
        --procedure) COMPREPLY=( $(compgen -W "kn knpp" -- "$cur") ); return 0 ;;
        --csv) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") ); return 0 ;;
        -o|--output|--record) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
        --seed|--set|--until|--replications|-r|--jobs|-j|--vary|--samples|--bootstrap|\
        --max-events|--max-samples|--max-memory|--pending|--events|\
        --maximize|--minimize|--subject-to|--delta|--alpha|--n0|--max-replications|\
        --batch|--search-replications|--levels|--rounds|--finalists) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=( $(compgen -W "$("$vs" "$cmd" --help 2>/dev/null \
                      | grep -oE -- '(^| |\[)--?[a-zA-Z][a-zA-Z-]*' | grep -oE -- '-.*' \
                      | sort -u)" -- "$cur") )
        return 0
    fi
    case $cmd in
        run|validate|compare|sweep|optimize)
            compopt -o filenames 2>/dev/null
            _vouchsim_scenarios "$cur" "$vs" ;;
        summary|plot|export)
            compopt -o filenames 2>/dev/null
            COMPREPLY=( $(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur") ) ;;
        bench) COMPREPLY=( $(compgen -W "hold" -- "$cur") ) ;;
    esac
    return 0
}
complete -F _vouchsim vouchsim
